"""The value domain: dtypes carried by flows and affine maps composed across stages."""

from __future__ import annotations

import libcst as cst
import pytest

from fixorder import catalog
from fixorder.analysis import ranges
from fixorder.analysis.interpreter import analyze
from fixorder.analysis.values import NEUTRAL, OPAQUE, PREPROCESS, SCALE

HEADER = "import numpy as np\nimport tensorflow as tf\nfrom PIL import Image\nnet = tf.keras.applications.MobileNetV2()\n"


def composed(body: str):
    """The composed stages of the one pipeline ``body`` builds, as (kind, mode or range, dtype)."""
    analysis = analyze(cst.parse_module(HEADER + body), catalog.load())
    [pipeline] = analysis.pipelines + analysis.probes  # a bare ``net(x)`` is a probe: its stages count here
    return [(s.kind, s.mode, s.details.get("range"), "affine" in s.details) for s in ranges.compose(pipeline.stages)]


@pytest.mark.parametrize("body, final", [
    # An integer (uint8) image is divided by 255; a float one is only cast; unknown dtype: opaque.
    ("x = tf.io.decode_png(b)\nnet(tf.image.convert_image_dtype(x, tf.float32)[None])", (SCALE, "unit")),
    ("x = tf.image.resize(tf.io.decode_png(b), (9, 9))\nnet(tf.image.convert_image_dtype(x, tf.float32)[None])",
     (NEUTRAL, None)),
    ("x = np.array(Image.open(p)).astype('float32')\nnet(tf.image.convert_image_dtype(x, tf.float32)[None])",
     (NEUTRAL, None)),
    ("def f(x):\n    return net(tf.image.convert_image_dtype(x, tf.float32))", (OPAQUE, None)),
    ("x = tf.io.decode_png(b)\nnet(tf.image.convert_image_dtype(tf.cast(x, dtype), tf.float32)[None])",
     (OPAQUE, None)),
])
def test_convert_image_dtype_scales_only_integer_input(body: str, final) -> None:
    stages = composed(body)
    assert (stages[-1][0], stages[-1][1]) == final


@pytest.mark.parametrize("body, kind, mode, value_range", [
    # Affine steps compose across statements, .map functions and layers.
    ("x = tf.cast(tf.io.decode_png(b), tf.float32) / 255.0\nx = tf.image.random_flip_left_right(x)\n"
     "net((x * 2 - 1)[None])", PREPROCESS, "tf", "tf"),
    ("x = tf.cast(tf.io.decode_png(b), tf.float32) / 255.0\nx = tf.image.flip_left_right(x)\n"
     "net((x * 255)[None])", NEUTRAL, None, "raw"),
    ("x = tf.io.decode_png(b)\nx = tf.image.convert_image_dtype(x, tf.float32)\n"
     "net(tf.keras.layers.Rescaling(255)(x)[None])", NEUTRAL, None, "raw"),
    ("x = tf.io.decode_png(b)\nx = tf.image.convert_image_dtype(x, tf.float32)\n"
     "net(tf.keras.layers.Rescaling(2, offset=-1)(x)[None])", PREPROCESS, "tf", "tf"),
    ("x = tf.cast(tf.io.decode_png(b), tf.float32) / 255.0\nnet(tf.image.flip_left_right(x * 3)[None])",
     OPAQUE, None, None),
])
def test_affine_maps_compose(body: str, kind: str, mode, value_range) -> None:
    stages = composed(body)
    *earlier, last = [s for s in stages if s[3]]  # the affine steps
    assert last[:2] == (kind, mode)
    assert ranges.range_of_map(1, 0) == "raw" and (last[2] == value_range or last[2] is None and not earlier)
    # The earlier steps of a chain stay in place as neutral steps recording the range they leave.
    assert all(s[0] == NEUTRAL and s[2] is not None for s in earlier)


def test_affine_text_reads_like_code() -> None:
    assert [ranges.affine_text(*m) for m in [(2, -1), (255, 0), (1 / 255, 0), (1 / 128, -1), (1, 5)]] == \
        ["x * 2 - 1", "x * 255", "x / 255", "x / 128 - 1", "x + 5"]
