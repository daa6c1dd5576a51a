"""A fix that removes or moves code never removes the user's comments: the comment lines above
the removed code and its end-of-line comment stay where they stood (issue 16, item 12).
One case per removal fix: FO104 and FO105 removing a statement, a list element or a keyword,
FO102 moving a statement; each through the real ``--fix``."""

from __future__ import annotations

import io
import tokenize
from collections import Counter

import pytest

from tests.cli_helpers import fixorder

CASES = {
    "FO104 statement folded into the chain": ('''\
import keras
from keras.applications import resnet50

inputs = keras.Input((224, 224, 3))
# Scale the pixels to [0, 1] first.
x = inputs / 255.0  # the usual normalisation
x = resnet50.preprocess_input(x)
x = resnet50.ResNet50(include_top=False, weights="imagenet")(x)
keras.Model(inputs, x).fit(keras.utils.image_dataset_from_directory("data"))
''', "x = inputs / 255.0"),
    "FO105 statement (the issue's real script)": ('''\
import keras
from keras import layers

inputs = keras.Input((224, 224, 3))
x = layers.RandomFlip("horizontal")(inputs)

# Normalise: the network wants small numbers.
x = layers.Rescaling(1./255)(x)  # [0, 1]
x = keras.applications.EfficientNetB0(include_top=False, weights="imagenet")(x)
keras.Model(inputs, x).fit(keras.utils.image_dataset_from_directory("data"))
''', "x = layers.Rescaling(1./255)(x)"),
    "FO105 Sequential element": ('''\
import keras
from keras import layers

model = keras.Sequential([
    keras.Input((224, 224, 3)),
    layers.RandomFlip("horizontal"),
    # Normalise to [0, 1].
    layers.Rescaling(1.0 / 255),  # scale
    # The backbone.
    keras.applications.EfficientNetB0(include_top=False, weights="imagenet"),
    layers.Dense(10),
])
model.fit(keras.utils.image_dataset_from_directory("data"))
''', "layers.Rescaling(1.0 / 255)"),
    "FO104 first keyword of a call": ('''\
import keras
from keras.applications.resnet50 import ResNet50, preprocess_input
from keras.preprocessing.image import ImageDataGenerator

gen = ImageDataGenerator(
    # pixels to [0, 1]
    rescale=1.0 / 255,  # old habit
    # the backbone's own
    preprocessing_function=preprocess_input,
    horizontal_flip=True,
)
model = ResNet50(weights="imagenet")
model.fit(gen.flow_from_directory("data"))
''', "rescale=1.0 / 255"),
    "FO102 move": ('''\
import keras
from keras import layers
from keras.applications import mobilenet_v2

base = keras.applications.MobileNetV2(include_top=False, weights="imagenet")
inputs = keras.Input((224, 224, 3))
# MobileNetV2 wants [-1, 1].
x = mobilenet_v2.preprocess_input(inputs)  # scale
x = layers.RandomFlip("horizontal")(x)
x = layers.RandomBrightness(0.2)(x)
x = base(x, training=False)
model = keras.Model(inputs, x)
model.fit(keras.utils.image_dataset_from_directory("data/train"))
''', "x = mobilenet_v2.preprocess_input(inputs)"),
}


def _comments(text: str) -> Counter:
    return Counter(tok.string for tok in tokenize.generate_tokens(io.StringIO(text).readline)
                   if tok.type == tokenize.COMMENT)


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_removal_fix_keeps_every_comment(tmp_path, case):
    source, removed = CASES[case]
    (tmp_path / "train.py").write_text(source)
    out = fixorder("--no-cache", "--fix", "train.py", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    fixed = (tmp_path / "train.py").read_text()
    assert removed not in fixed  # the fix did remove (or move) the code
    assert _comments(fixed) == _comments(source)
    compile(fixed, "train.py", "exec")
    again = fixorder("--no-cache", "--fix", "train.py", cwd=tmp_path)
    assert again.returncode == 0 and (tmp_path / "train.py").read_text() == fixed  # still idempotent
