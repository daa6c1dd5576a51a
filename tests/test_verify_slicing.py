"""Pipeline verification's slices: what of a file each linked pipeline keeps (static, no TensorFlow)."""

from __future__ import annotations

import ast
import textwrap

from fixorder.verify.slicing import pipeline_slices
from tests.conftest import TESTDATA

SNIPPET = (TESTDATA / "verify" / "pipeline_snippet_fail.py").read_text()


def kept_code(source: str) -> list[str]:
    return [ln.strip() for ln in source.splitlines() if ln.strip()]


def test_snippet_keeps_the_pipeline_and_drops_what_cannot_run():
    slices, total, why = pipeline_slices(SNIPPET)
    assert why is None and len(slices) == 1
    sl = slices[0]
    code = "\n".join(kept_code(sl.source))
    # Line numbers are the file's: the same number of lines, each kept line where it was.
    assert len(sl.source.splitlines()) == len(SNIPPET.splitlines())
    for n, line in enumerate(sl.source.splitlines(), start=1):
        assert line in ("", SNIPPET.splitlines()[n - 1])
    ast.parse(sl.source)
    for needed in ("def augment(image, label):", "image = tf.image.random_flip_left_right(image)",
                   "train_ds = train_ds.map(augment)", "DATA_DIR =", "IMG = 32",
                   "keras.applications.MobileNetV2(", "base.trainable = False",
                   "model.compile(", "history = model.fit(train_ds, epochs=3)", "import os"):
        assert needed in code, needed
    for dropped in ("os.listdir", "TPUClusterResolver", "experimental_connect_to_cluster", "plt.",
                    "matplotlib", "show_samples_from_the_previous_notebook", "print("):
        assert dropped not in code, dropped
    assert sl.backbone == "MobileNetV2" and sl.backbone_line == 33
    assert "image_dataset_from_directory (line 22)" in sl.label
    assert sl.note(total).startswith(f"pipeline mode: ran {len(sl.kept)} of {total} top-level statements")


def test_a_backbone_built_inside_a_function_keeps_its_callers():
    src = textwrap.dedent("""\
        import numpy as np
        import keras

        def build():
            base = keras.applications.MobileNetV2(include_top=False, input_shape=(32, 32, 3))
            return keras.Sequential([base, keras.layers.GlobalAveragePooling2D()])

        images = np.random.randint(0, 256, (4, 32, 32, 3)).astype("float32")
        unrelated = open("/no/such/file").read()
        model = build()
        model.predict(images)
        """)
    slices, _, why = pipeline_slices(src)
    assert why is None
    code = kept_code(slices[0].source)
    assert "model = build()" in code and "model.predict(images)" in code
    assert "def build():" in code and 'images = np.random.randint(0, 256, (4, 32, 32, 3)).astype("float32")' in code
    assert not any("unrelated" in ln for ln in code)


def test_environment_set_up_before_the_pipeline_is_kept():
    src = textwrap.dedent("""\
        import os
        os.environ["TF_USE_LEGACY_KERAS"] = "1"
        import tensorflow as tf
        import numpy as np
        base = tf.keras.applications.ResNet50V2(include_top=False, input_shape=(32, 32, 3))
        base(np.random.randint(0, 256, (2, 32, 32, 3)).astype("float32"))
        """)
    slices, _, _ = pipeline_slices(src)
    assert 'os.environ["TF_USE_LEGACY_KERAS"] = "1"' in kept_code(slices[0].source)


def test_two_pipelines_get_their_own_slices():
    src = textwrap.dedent("""\
        import numpy as np
        import keras
        a = np.random.randint(0, 256, (2, 32, 32, 3)).astype("float32")
        b = np.random.randint(0, 256, (2, 32, 32, 3)).astype("float32")
        m = keras.applications.MobileNetV2(include_top=False, input_shape=(32, 32, 3))
        r = keras.applications.ResNet50(include_top=False, input_shape=(32, 32, 3))
        fm = m(keras.applications.mobilenet_v2.preprocess_input(a))
        fr = r(b)
        """)
    slices, _, why = pipeline_slices(src)
    assert why is None
    by_name = {s.backbone: kept_code(s.source) for s in slices}
    assert set(by_name) == {"MobileNetV2", "ResNet50"}
    assert "fm = m(keras.applications.mobilenet_v2.preprocess_input(a))" in by_name["MobileNetV2"]
    assert not any(ln.startswith(("fr =", "r =", "b =")) for ln in by_name["MobileNetV2"])
    assert "fr = r(b)" in by_name["ResNet50"] and not any(ln.startswith("fm =") for ln in by_name["ResNet50"])


def test_files_without_a_pipeline_say_why():
    assert pipeline_slices("import os\nprint(os.getcwd())\n")[2] == \
        "fixorder links no pipeline to a keras.applications backbone in this file"
    assert pipeline_slices("def f(:\n")[2].startswith("the file does not parse")


def test_the_model_built_around_the_backbone_is_kept():
    """Build-only functional model: the layers after the backbone and the Model itself are kept
    (verify calls that model on a raw batch), a listing of a missing directory is not."""
    src = textwrap.dedent("""\
        import os
        import keras
        DATA = "/no/such/dir"
        inputs = keras.Input(shape=(32, 32, 3))
        x = keras.applications.mobilenet_v2.preprocess_input(inputs)
        base = keras.applications.MobileNetV2(include_top=False, input_shape=(32, 32, 3))
        x = base(x)
        classes = os.listdir(DATA)
        x = keras.layers.GlobalAveragePooling2D()(x)
        model = keras.Model(inputs, keras.layers.Dense(2)(x))
        """)
    code = kept_code(pipeline_slices(src)[0][0].source)
    assert "x = keras.layers.GlobalAveragePooling2D()(x)" in code
    assert "model = keras.Model(inputs, keras.layers.Dense(2)(x))" in code
    assert "classes = os.listdir(DATA)" not in code and 'DATA = "/no/such/dir"' not in code


def test_a_sequential_built_with_add_keeps_every_layer_and_the_compile():
    """``model.add(Dense(n))`` uses names the slice does not bind yet (the layer classes, a class
    count): the statements are kept with what they need, so the model compiles before ``fit``."""
    src = textwrap.dedent("""\
        import os
        from tensorflow.keras.applications import ResNet50
        from tensorflow.keras.layers import Dense, Flatten
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.optimizers import SGD
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        gen = ImageDataGenerator(rescale=1 / 255.0)
        train = gen.flow_from_directory("/data/train", target_size=(64, 64))
        n_classes = len(train.class_indices)
        base = ResNet50(include_top=False, input_shape=(64, 64, 3))
        net = Sequential()
        net.add(base)
        net.add(Flatten())
        net.add(Dense(n_classes, activation="softmax"))
        print(sorted(os.listdir("/data/train")))
        net.compile(optimizer=SGD(learning_rate=0.01), loss="categorical_crossentropy")
        net.fit(train, epochs=4)
        """)
    slices, _, why = pipeline_slices(src)
    assert why is None and slices[0].linked
    code = kept_code(slices[0].source)
    for needed in ("net.add(Flatten())", 'net.add(Dense(n_classes, activation="softmax"))',
                   "from tensorflow.keras.layers import Dense, Flatten", "n_classes = len(train.class_indices)",
                   'net.compile(optimizer=SGD(learning_rate=0.01), loss="categorical_crossentropy")',
                   "from tensorflow.keras.optimizers import SGD"):
        assert needed in code, needed
    assert not any("listdir" in ln for ln in code)


def test_a_builder_fed_from_its_input_is_sliced_but_not_linked():
    src = textwrap.dedent("""\
        import keras
        inputs = keras.Input(shape=(32, 32, 3))
        features = keras.applications.MobileNetV2(include_top=False, input_shape=(32, 32, 3))(inputs)
        model = keras.Model(inputs, features)
        """)
    slices, _, why = pipeline_slices(src)
    assert why is None and len(slices) == 1 and not slices[0].linked
    assert "(not linked to data by the static analysis)" in slices[0].note(4)


def test_a_loop_that_fills_a_list_the_pipeline_reads_is_kept():
    """``images.append(...)`` in a loop changes ``images``: the loop is what gives it data."""
    src = textwrap.dedent("""\
        import numpy as np
        import keras
        from PIL import Image
        images = []
        names = ["a.png", "b.png"]
        for name in names:
            images.append(np.asarray(Image.open(name).resize((32, 32))))
        scores = {}
        scores["first"] = 1
        x = keras.applications.resnet50.preprocess_input(np.array(images, dtype="float32"))
        model = keras.applications.ResNet50(include_top=False, input_shape=(32, 32, 3))
        model.predict(x)
        """)
    code = kept_code(pipeline_slices(src)[0][0].source)
    assert "images.append(np.asarray(Image.open(name).resize((32, 32))))" in code
    assert 'names = ["a.png", "b.png"]' in code and "images = []" in code
    assert not any(ln.startswith("scores") for ln in code)
