"""The shared realworld-shapes scripts get the verdict written on their line 1.

The scripts live outside the repository (``../shared/realworld-shapes`` beside the clone, as
CI lays it out); each is a reduced real-code construct.  The table below is the verdict of
line 1, by hand: the codes expected, in order of position (a code repeated once per finding).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fixorder.engine import Options, check_source

ROOT = Path(__file__).resolve().parents[1]
CANDIDATES = (ROOT.parent / "shared" / "realworld-shapes", Path("/work/shared/realworld-shapes"))
SHAPES = next((p for p in CANDIDATES if p.is_dir()), None)

EXPECTED = {
    # The value domain: convert_image_dtype of a float (resized) image is a cast.
    "convert_image_dtype_after_resize.py": [],
    # Dataset sources: opaque elements until a decode_* in a map; from_generator follows its function.
    "tfrecord_dataset_map_decode.py": ["FO101"],
    "tensor_slices_of_paths_map_decode.py": ["FO101"],
    "from_generator_wraps_keras_iterator.py": ["FO101"],
    # TF wrappers of callables.
    "py_function_scaling.py": ["FO101"],
    "tf_cond_random_mirror.py": ["FO101"],
    "strategy_run_custom_loop.py": ["FO101"],
    # Statistics normalisation: a full z-score is a known range; unfitted featurewise flags do nothing.
    "generator_samplewise_standardization.py": ["FO101"],
    "generator_featurewise_fitted_caffe.py": ["FO101"],
    "generator_featurewise_never_fitted.py": ["FO101"],
    # One defect, one finding: the /255 FO101 reports is not FO102's cause as well.
    "unit_scale_then_contrast_no_preprocess.py": ["FO101"],
}


@pytest.mark.skipif(SHAPES is None, reason="shared/realworld-shapes is not beside this checkout")
@pytest.mark.parametrize("script", sorted(EXPECTED))
def test_realworld_shape_verdict(script: str) -> None:
    path = SHAPES / script
    result = check_source(path.name, path.read_text(encoding="utf-8"), Options())
    assert result.error is None
    assert [f.code for f in result.findings] == EXPECTED[script]
