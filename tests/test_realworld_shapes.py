"""The shared real-world shapes (../shared/realworld-shapes/) get the verdict on their line 1.

Each script there is a construct common in public training code; its first line says the
expected verdict (``# expected: FO101 ...`` or ``# expected: clean ...``).  This file covers the
scripts of the Python-core classes (constants and branches, generators, ``**kwargs``,
augmented assignment, subscript writes, star imports, legacy spellings, aliases), of the API
models (dtype, dataset sources, TF wrappers, statistics normalisation, one defect one finding)
and of eager shape probes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fixorder.run.engine import Options, check_source

ROOT = Path(__file__).resolve().parents[1]
CANDIDATES = (ROOT.parent / "shared" / "realworld-shapes", Path("/work/shared/realworld-shapes"))
SHAPES = next((p for p in CANDIDATES if p.is_dir()), None)

PYTHON_CORE = [
    "backbone_factory_by_name", "evaluate_backbones_by_name_loop", "map_function_chosen_by_flag",
    "one_armed_if_augment_flag", "random_branch_augmentation", "python_generator_yield_batches",
    "generator_kwargs_from_dict", "generator_kwargs_from_dict_preprocessed", "augassign_divide_255",
    "inplace_channel_mean_subtraction", "keras_star_import_model", "keras1_model_input_output_kwargs",
    "fit_generator_generator_keyword", "sequential_inputlayer_first",
]
API_MODELS = [
    "convert_image_dtype_after_resize", "tfrecord_dataset_map_decode", "tensor_slices_of_paths_map_decode",
    "from_generator_wraps_keras_iterator", "py_function_scaling", "tf_cond_random_mirror",
    "strategy_run_custom_loop", "generator_samplewise_standardization", "generator_featurewise_fitted_caffe",
    "generator_featurewise_never_fitted", "unit_scale_then_contrast_no_preprocess",
]
EAGER_PROBES = [
    "eager_probe_builds_head_wrong_family", "eager_probe_separate_explorer_backbone", "eager_shape_probe_raw_batch",
]


def expected_codes(first_line: str) -> set[str]:
    """The codes the verdict names before its explanation: ``FO101 only (...)`` -> {FO101}."""
    verdict = first_line.split("expected:", 1)[1]
    head = re.split(r"[(.]", verdict, maxsplit=1)[0]
    return set(re.findall(r"FO\d{3}", head))


def test_expected_codes_reads_the_verdict_only() -> None:
    assert expected_codes("# expected: FO101 only (x). Not FO105: the branch is not taken.") == {"FO101"}
    assert expected_codes("# expected: clean (FO101 today)") == set()


@pytest.mark.skipif(SHAPES is None, reason="../shared/realworld-shapes is not beside the repository")
@pytest.mark.parametrize("name", PYTHON_CORE + API_MODELS + EAGER_PROBES)
def test_shape_gets_its_verdict(name: str) -> None:
    path = SHAPES / f"{name}.py"
    source = path.read_text()
    result = check_source(path.name, source, Options())
    assert result.error is None and result.warning is None
    got = {f.code for f in result.findings}
    assert got == expected_codes(source.splitlines()[0])
