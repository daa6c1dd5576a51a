"""The interpreter's Python core on the constructs real scripts use (issue 12): constants and
branches, pruned functions, joins, loops, generators, ``**kwargs``, subscript writes, star
imports.  Each test runs the real analysis on a small source and checks what it followed."""

from __future__ import annotations

import textwrap

import libcst as cst

from fixorder import catalog
from fixorder.analysis.interpreter import MAX_UNROLL, analyze
from fixorder.analysis.values import AUGMENT, PREPROCESS
from fixorder.run.engine import Options, check_source
from tests.conftest import TESTDATA


def _analysis(source: str):
    return analyze(cst.parse_module(textwrap.dedent(source)), catalog.load())


def _findings(source: str):
    return check_source("case.py", textwrap.dedent(source), Options()).findings


ZOO = '''
import tensorflow as tf

def zoo(name):
    if name == "densenet":
        return tf.keras.applications.DenseNet121(weights="imagenet")
    if name == "vgg":
        return tf.keras.applications.VGG16(weights="imagenet")
    return tf.keras.applications.Xception(weights="imagenet")

data = tf.keras.utils.image_dataset_from_directory("val", image_size=(224, 224))
for name in NAMES:
    zoo(name).evaluate(data)
'''


def test_a_literal_loop_runs_once_per_item_and_each_backbone_is_reported_without_a_shared_edit() -> None:
    findings = _findings(ZOO.replace("NAMES", '["densenet", "vgg", "other"]'))
    backbones = [f.message.split()[0] for f in findings]
    assert backbones == ["DenseNet121", "VGG16", "Xception"]
    # One input feeds three families: no automatic edit of it can suit all of them.
    assert all(f.applicable_fix is None for f in findings)


def test_a_loop_longer_than_the_unroll_limit_runs_once_with_an_unknown_item() -> None:
    names = ", ".join(f'"n{i}"' for i in range(MAX_UNROLL + 1))
    assert _findings(ZOO.replace("NAMES", f"[{names}]")) == []


def test_a_loop_with_break_is_not_unrolled() -> None:
    source = ZOO.replace("NAMES", '["densenet", "vgg"]') + "    break\n"
    assert _findings(source) == []


def test_pruned_code_is_analysed_but_set_aside() -> None:
    path = TESTDATA / "FO105" / "rw_const_pruned_builtin_rescale_not_taken.py"
    analysis = _analysis(path.read_text())
    reported = {p.backbone.catalog.name for p in analysis.pipelines}
    pruned = {p.backbone.catalog.name for p in analysis.pruned_pipelines}
    assert reported == {"ResNet152"}
    assert "EfficientNetB1" in pruned  # read with unknown arguments, never reported


def test_branches_that_differ_only_by_augmentation_join_with_optional_stages() -> None:
    analysis = _analysis('''
        import sys
        import tensorflow as tf
        def prep(x):
            if len(sys.argv) > 1:
                x = tf.image.random_flip_left_right(x)
            return x / 255.0
        ds = tf.keras.utils.image_dataset_from_directory("d").map(prep)
        base = tf.keras.applications.MobileNet(weights="imagenet")
        base.predict(ds)
    ''')
    [pipeline] = analysis.pipelines
    augments = [s for s in pipeline.stages if s.kind == AUGMENT]
    assert [s.label for s in augments] == ["tf.image.random_flip_left_right"]
    assert augments[0].details["optional"] is True


def test_branches_with_different_scaling_stay_unknown() -> None:
    findings = _findings('''
        import sys
        import tensorflow as tf
        def prep(x):
            if len(sys.argv) > 1:
                x = x / 255.0
            return tf.image.random_flip_left_right(x)
        ds = tf.keras.utils.image_dataset_from_directory("d").map(prep)
        tf.keras.applications.MobileNet(weights="imagenet").predict(ds)
    ''')
    assert findings == []


def test_kwargs_from_a_dict_reach_the_generator() -> None:
    path = TESTDATA / "FO101" / "rw_kwargs_dict_literal.py"
    [finding] = check_source(path.name, path.read_text(), Options()).findings
    assert "rescale=1.0 / 255" in finding.message and "zoom_range" in finding.message


def test_a_generator_of_labels_only_is_unknown() -> None:
    findings = _findings('''
        import tensorflow as tf
        def names():
            yield "a"
            yield "b"
        base = tf.keras.applications.VGG16(weights="imagenet")
        base.predict(names())
    ''')
    assert findings == []


def test_in_place_caffe_means_after_a_flip_are_caffe_preprocessing() -> None:
    analysis = _analysis((TESTDATA / "FO101" / "rw_subscript_caffe_inplace_preprocessed.py").read_text())
    [pipeline] = analysis.pipelines
    modes = [s.mode for s in pipeline.stages if s.kind == PREPROCESS]
    assert modes == ["caffe"]


def test_channel_means_in_rgb_order_are_not_caffe() -> None:
    source = (TESTDATA / "FO101" / "rw_subscript_caffe_inplace_preprocessed.py").read_text()
    analysis = _analysis(source.replace("x = x[:, :, ::-1]", "x = x[:, :, :]"))
    [pipeline] = analysis.pipelines
    assert not any(s.kind == PREPROCESS for s in pipeline.stages)


def test_a_star_import_does_not_shadow_builtins() -> None:
    findings = _findings('''
        from tensorflow.keras.layers import *
        import tensorflow as tf
        ds = tf.keras.utils.image_dataset_from_directory("d")
        base = tf.keras.applications.ResNet50(weights="imagenet")
        for i, batch in enumerate(ds):
            tf.io.write_file("f", tf.io.serialize_tensor(base(batch)))  # kept: not a shape probe
    ''')
    assert [f.code for f in findings] == ["FO101"]


def test_rescale_expanded_from_a_dict_is_reported_but_not_removed_from_the_shared_dict() -> None:
    path = TESTDATA / "FO105" / "rw_kwargs_shared_dict_rescale.py"
    [finding] = check_source(path.name, path.read_text(), Options()).findings
    assert finding.code == "FO105" and finding.applicable_fix is None


LOAD = '''
import tensorflow as tf

def build(resume):
    base = tf.keras.applications.MobileNetV2(weights=None)
    if resume:
        base.load_weights("weights.h5")
    return base

build(RESUME).fit(tf.keras.utils.image_dataset_from_directory("d"))
'''


def test_load_weights_gives_a_contract_only_where_it_runs() -> None:
    assert [f.code for f in _findings(LOAD.replace("RESUME", "True"))] == ["FO101"]
    assert _findings(LOAD.replace("RESUME", "False")) == []


def test_enumerate_with_a_start_keeps_the_flow_second() -> None:
    findings = _findings('''
        import tensorflow as tf
        ds = tf.keras.utils.image_dataset_from_directory("d")
        base = tf.keras.applications.VGG16(weights="imagenet")
        for i, (x, y) in enumerate(ds, start=1):
            tf.io.write_file("f", tf.io.serialize_tensor(base(x)))  # kept: not a shape probe
    ''')
    assert [f.code for f in findings] == ["FO101"]
