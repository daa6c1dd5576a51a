"""Rule behaviour that benchmarks/mutate.py found no test pinning: each test names the mutant
(``path:line: change``) it kills, and was checked to fail with it and pass without."""

from __future__ import annotations

from fixorder.run.engine import Options, check_source, fix_source
from tests.conftest import TESTDATA

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


# tf.image.random_jpeg_quality encodes a JPEG, which needs pixels in [0, 1] (the catalogue:
# "BROKEN outside [0,1]"): after inception_v3.preprocess_input the [-1, 1] data is clipped.
JPEG_QUALITY_ON_SIGNED = '''import tensorflow as tf

base = tf.keras.applications.InceptionV3(include_top=False, weights="imagenet")


def prepare(image, label):
    image = tf.keras.applications.inception_v3.preprocess_input(image)
    image = tf.image.random_jpeg_quality(image, 75, 95)
    return image, label


ds = tf.keras.utils.image_dataset_from_directory("data").map(prepare)
model = tf.keras.Sequential([tf.keras.Input((299, 299, 3)), base, tf.keras.layers.Dense(3)])
model.fit(ds)
'''


def test_fo102_says_a_jpeg_augmentation_assumes_pixels_in_the_unit_range():
    """Kills rules/fo102_preprocess_before_augmentation.py:123 (the "pixels in [0, 1]" need of a
    tf.image op the catalogue marks BROKEN outside [0,1]; no fixture had one)."""
    [finding] = check_source("prepare.py", JPEG_QUALITY_ON_SIGNED, Options()).findings
    assert (finding.line, finding.column, finding.code, finding.message) == (
        8, 13, "FO102", "tf.image.random_jpeg_quality assumes pixels in [0, 1] but runs after "
        "inception_v3.preprocess_input, on [-1, 1] data, before InceptionV3; move "
        "inception_v3.preprocess_input after the augmentation")


def test_a_display_only_fo101_fix_is_reported_whole_in_json():
    """Kills rules/fo101_missing_preprocess_input.py:257 (the "insert" strategy of a display-only
    FO101 fix, which the JSON report carries)."""
    case = TESTDATA / "FO101" / "validation_data_not_preprocessed.py"
    [finding] = check_source(case.name, case.read_text(), Options()).findings
    assert finding.to_json() == {
        "path": case.name, "line": 7, "column": 30, "end_line": 7, "end_column": 82, "code": "FO101",
        "name": "missing-preprocess-input",
        "message": "MobileNetV2 expects [-1, 1] (mobilenet_v2.preprocess_input, tf mode) but receives raw pixels "
                   "[0, 255] from image_dataset_from_directory, with no preprocessing",
        "backbone": "MobileNetV2", "module": "mobilenet_v2", "expects": "tf", "cell": None,
        "fix": {"applicability": "display-only", "strategy": "insert",
                "description": "insert mobilenet_v2.preprocess_input only on the data paths that lack it",
                "edits": []},
    }


ASTYPE_THEN_SAVED = (TESTDATA / "FO107" / "astype_then_saved.py").read_text()


def test_fo107_reads_the_builtin_float_as_a_float_dtype_and_int_as_not():
    """Kills rules/fo107_preprocess_input_in_place.py:233 (``node.value == "float"`` -> ``!=``: the
    builtin ``float`` as astype's dtype; the fixtures spell it "float32")."""
    as_float = ASTYPE_THEN_SAVED.replace('astype("float32")', "astype(float)")
    [finding] = check_source("save.py", as_float, Options()).findings
    assert (finding.line, finding.column, finding.code, finding.message) == (
        8, 12, "FO107", "preprocess_input (torch mode) overwrites the float NumPy array `images` in place, and "
        "`images` is read again on line 9, where it holds preprocessed values; pass `images.copy()` if the raw "
        "pixels are still needed")
    as_int = ASTYPE_THEN_SAVED.replace('astype("float32")', "astype(int)")
    assert check_source("save.py", as_int, Options()).findings == []
