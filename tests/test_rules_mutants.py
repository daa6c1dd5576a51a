"""Rule behaviour that benchmarks/mutate.py found no test pinning: each test names the mutant
(``path:line: change``) it kills, and was checked to fail with it and pass without."""

from __future__ import annotations

from fixorder.run.engine import Options, check_source, fix_source

# A tf.data map that scales by 255 in an augmented assignment before MobileNetV2's own
# preprocess_input: FO104, whose fix removes the statement `img /= 255.0`.
AUGMENTED_DIVIDE = '''import tensorflow as tf


def load(img, lbl):
    img = tf.cast(img, tf.float32)
    img /= 255.0
    img = tf.keras.applications.mobilenet_v2.preprocess_input(img)
    return img, lbl


ds = tf.keras.utils.image_dataset_from_directory("photos", image_size=(224, 224)).map(load)
model = tf.keras.Sequential([
    tf.keras.applications.MobileNetV2(include_top=False, weights="imagenet", input_shape=(224, 224, 3)),
    tf.keras.layers.GlobalAveragePooling2D(),
    tf.keras.layers.Dense(5),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(ds)
'''
FO104_MESSAGE = ("MobileNetV2 expects [-1, 1] but the images are scaled twice "
                 "(x / 255 then mobilenet_v2.preprocess_input); remove x / 255")


def test_an_augmented_assignment_alone_on_its_line_is_removed_by_the_fo104_fix():
    """Kills rules/edits.py:69 (``len(line.body) == 1`` -> ``== 2``: no removal for a lone `x /= 255`)."""
    options = Options(unsafe_fixes=True)
    [finding] = check_source("load.py", AUGMENTED_DIVIDE, options).findings
    assert (finding.line, finding.column, finding.code, finding.message) == (6, 5, "FO104", FO104_MESSAGE)
    assert finding.fix is not None and finding.fix.description == "remove the statement `img /= 255.0`"
    fixed = fix_source("load.py", AUGMENTED_DIVIDE, options).fixed_source
    assert fixed == AUGMENTED_DIVIDE.replace("    img /= 255.0\n", "")


def test_an_augmented_assignment_sharing_its_line_is_not_removed():
    """The other side of the same condition: `img /= 255.0; y = 1` cannot lose its statement alone."""
    source = AUGMENTED_DIVIDE.replace("    img /= 255.0\n", "    img /= 255.0; lbl = lbl\n")
    options = Options(unsafe_fixes=True)
    [finding] = check_source("load.py", source, options).findings
    assert (finding.line, finding.column, finding.code, finding.message) == (6, 5, "FO104", FO104_MESSAGE)
    assert fix_source("load.py", source, options).fixed_source is None
