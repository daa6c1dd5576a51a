"""Analysis behaviour that benchmarks/mutate.py found no test pinning: each test names the
mutant (``path:line: change``) it kills, and was checked to fail with it and pass without."""

from __future__ import annotations

import ast

import libcst as cst

from fixorder.analysis.source_map import SourceMap
from fixorder.analysis.spans import AstOffsets, CstLocator
from fixorder.run.engine import Options, check_source

# A MobileNetV2 pipeline without preprocess_input in a function (FO101 on its last line), with
# an early exit before it.
GUARDED = '''import tensorflow as tf


def build(images):
{guard}    augment = tf.keras.Sequential([tf.keras.layers.RandomFlip("horizontal")])
    base = tf.keras.applications.MobileNetV2(include_top=False)
    return base(augment(images, training=True))
'''
FO101_MESSAGE = ("MobileNetV2 expects [-1, 1] (mobilenet_v2.preprocess_input, tf mode) but receives "
                 "images augmented by RandomFlip, with no preprocessing")


def _findings(source: str) -> list[tuple[int, int, str, str]]:
    return [(f.line, f.column, f.code, f.message) for f in check_source("train.py", source, Options()).findings]


def test_code_after_an_if_whose_only_branch_stops_is_still_analysed():
    """Kills analysis/interpreter.py:340 (``frame.stopped = None`` removed in exec_branches: the
    stop of the raising branch leaks into the empty else branch, and the rest of the function is
    taken for unreachable)."""
    assert _findings(GUARDED.format(guard="")) == [(7, 12, "FO101", FO101_MESSAGE)]
    for guard in ('    if images is None:\n        raise ValueError("no images")\n',
                  "    if images is None:\n        return None\n    elif len(images) == 0:\n        pass\n"):
        lines = guard.count("\n")
        assert _findings(GUARDED.format(guard=guard)) == [(7 + lines, 12, "FO101", FO101_MESSAGE)], guard


def test_a_parenthesised_tuple_is_located_by_its_text_with_the_parentheses():
    """ast's Tuple span includes the parentheses, libcst's Tuple node does not own them: the
    locator keeps such tuples by their text with parentheses (kills analysis/spans.py:148, the
    table of them removed; tests/test_spans.py covers it too but is too slow to map)."""
    text = "size = (224, 224)\nshape = 224, 224\n"
    tree = ast.parse(text)
    module = cst.parse_module(text)
    source_map = SourceMap(module, text)
    locator, offsets = CstLocator(source_map), AstOffsets(text)
    located = [locator.node_for(n, offsets) for n in ast.walk(tree) if isinstance(n, ast.Tuple)]
    assert [module.code_for_node(t) for t in located] == ["(224, 224)", "224, 224"]
    assert all(isinstance(t, cst.Tuple) for t in located)


def _feeding(backbone: str, into_backbone: str) -> str:
    """A directory dataset whose batches reach ``backbone`` as ``into_backbone`` (of ``images``)."""
    return ('import tensorflow as tf\n'
            'data = tf.keras.utils.image_dataset_from_directory("d")\n'
            f'base = tf.keras.applications.{backbone}(include_top=False)\n'
            'for images, labels in data:\n'
            f'    features = base({into_backbone})\n'
            '    tf.io.write_file("f", tf.io.serialize_tensor(features))\n')


def test_a_one_element_normalization_mean_counts_for_every_channel():
    """Kills analysis/ranges.py:60 (``found * 3`` -> ``found * 4``: a one-element mean is no longer
    three per-channel numbers, so Normalization(tf mode) is an unknown normalisation and the wrong
    mode for ResNet50 goes unreported)."""
    source = _feeding("ResNet50", "norm(images)").replace(
        "base = ", "norm = tf.keras.layers.Normalization(mean=(127.5,), variance=(16256.25,))\nbase = ")
    assert _findings(source) == [(3, 8, "FO103", "ResNet50 expects BGR pixels minus the ImageNet mean but receives "
                                  "[-1, 1] from Normalization(tf mode) (tf mode); use resnet.preprocess_input (caffe mode)")]


def test_a_head_built_on_the_backbones_output_attribute_is_followed():
    """Kills analysis/models/keras_applications.py:101 (``"output"`` dropped from the backbone's
    output attributes: ``base.output`` is unknown, the model built on it too, and its raw data
    goes unreported)."""
    source = ('import tensorflow as tf\n'
              'data = tf.keras.utils.image_dataset_from_directory("d")\n'
              'base = tf.keras.applications.MobileNetV2(include_top=False)\n'
              'x = tf.keras.layers.GlobalAveragePooling2D()(base.output)\n'
              'model = tf.keras.Model(base.input, tf.keras.layers.Dense(2)(x))\n'
              'model.compile("adam", "sparse_categorical_crossentropy")\n'
              'model.fit(data, epochs=3)\n')
    assert _findings(source) == [(3, 8, "FO101", "MobileNetV2 expects [-1, 1] (mobilenet_v2.preprocess_input, tf "
                                  "mode) but receives raw pixels [0, 255] from image_dataset_from_directory, with no "
                                  "preprocessing")]


def test_an_identity_preprocess_input_keeps_the_range_before_it():
    """Kills rules/review.py:113 (an identity ``preprocess_input`` -- EfficientNet's -- giving an
    unknown range: RandomBrightness after it, on the [-1, 1] data of the scaling before it, goes
    unreported)."""
    source = _feeding("MobileNetV2", "bright(tf.keras.applications.efficientnet.preprocess_input(images / 127.5 - 1))")
    source = source.replace("base = ", "bright = tf.keras.layers.RandomBrightness(0.2)\nbase = ")
    assert _findings(source) == [(3, 10, "FO102", "RandomBrightness assumes raw pixels [0, 255] but runs after "
                                  "x / 127.5 - 1, on [-1, 1] data, before MobileNetV2; move x / 127.5 - 1 after the "
                                  "augmentation, or pass value_range=(-1, 1)")]


def test_a_per_image_z_score_is_a_known_range_that_is_no_contract():
    """Kills rules/review.py:132 (``"zscore" not in`` -> ``in``: the z-score is no longer the final
    statistics step, and the standardised images reaching MobileNetV2 go unreported)."""
    assert _findings(_feeding("MobileNetV2", "tf.image.per_image_standardization(images)")) == [
        (5, 16, "FO101", "MobileNetV2 expects [-1, 1] (mobilenet_v2.preprocess_input, tf mode) but receives values "
                         "standardized over each image (zero mean, unit standard deviation) by "
                         "per_image_standardization, with no preprocessing")]
