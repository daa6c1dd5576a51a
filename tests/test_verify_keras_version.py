"""Which Keras verify runs a script with (no TensorFlow needed: the source is only parsed)."""

from __future__ import annotations

import pytest

from fixorder.verify.keras_version import choose, keras2_evidence

KERAS2 = {
    "from keras.preprocessing.image import ImageDataGenerator\n": "ImageDataGenerator",
    "import tensorflow as tf\naug = tf.keras.layers.experimental.preprocessing.RandomFlip()\n": "layers.experimental",
    "from tensorflow.keras import layers\nx = layers.experimental.preprocessing.Rescaling(1/255)\n": "layers.experimental",
    "from keras.layers.core import Dense\n": "layers.core",
    "import keras.engine.topology\n": "keras.engine",
    "model.fit_generator(train, epochs=3)\n": "fit_generator",
    "from tensorflow.keras.utils import np_utils\n": "np_utils",
    "import tensorflow.keras as K\ng = K.preprocessing.image.ImageDataGenerator()\n": "ImageDataGenerator",
}
KERAS3 = [
    "import keras\nfrom keras import layers\nx = layers.Rescaling(1/255)\n",
    "from keras.preprocessing.image import load_img\n",              # still in Keras 3
    "from tf_keras.preprocessing.image import ImageDataGenerator\n",  # already tf_keras: nothing to resolve
    "import tensorflow as tf\nmodel.fit(train)\nlayers = tf.keras.layers.Dense(3)\n",
    "def f(:\n",                                                       # does not parse
]


@pytest.mark.parametrize("source", list(KERAS2))
def test_keras2_only_apis_choose_keras2(source):
    choice = choose(source)
    assert choice.major == 2
    assert any(KERAS2[source] in e for e in choice.evidence), choice.evidence
    assert choice.evidence[0].startswith("line ")
    assert "tf_keras" in choice.note() and "TF_USE_LEGACY_KERAS=1" in choice.note()


@pytest.mark.parametrize("source", KERAS3)
def test_keras3_scripts_stay_keras3(source):
    choice = choose(source)
    assert (choice.major, choice.evidence, choice.note()) == (3, (), None)


def test_forced_choice_wins():
    src = "from keras.preprocessing.image import ImageDataGenerator\n"
    assert choose(src, "3").major == 3
    assert choose("import keras\n", "2").major == 2
    with pytest.raises(ValueError):
        choose(src, "4")


def test_evidence_names_the_line():
    ev = keras2_evidence("import os\n\nfrom keras.layers.core import Dense\n")
    assert ev == ("line 3: keras.layers.core: the keras.layers.core module is Keras 2 only",)
