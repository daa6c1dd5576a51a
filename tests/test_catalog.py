"""The catalogue against the installed Keras 3 and tf_keras (real TensorFlow, CPU)."""

from __future__ import annotations

import importlib
import inspect
import json
import subprocess
import sys

import numpy as np
import pytest

from fixorder.catalog import load
from tests.conftest import ROOT

CATALOG = load()
ROWS = json.loads((ROOT / "fixorder" / "catalog" / "backbones.json").read_text())["backbones"]
PACKAGES = {"keras3": "keras", "tf_keras": "tf_keras"}


def _applications(framework: str):
    return importlib.import_module(f"{PACKAGES[framework]}.applications")


def test_catalogue_counts() -> None:
    assert len(CATALOG.backbones) == 71
    assert {b.mode for b in CATALOG.backbones.values()} == {"tf", "torch", "caffe", "identity"}


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["name"])
def test_backbone_exists_with_recorded_preprocessing(row: dict) -> None:
    for framework in row["frameworks"]:
        apps = _applications(framework)
        constructor = getattr(apps, row["name"])
        module = importlib.import_module(f"{apps.__name__}.{row['module']}")
        if row["module_exports_constructor"]:
            assert getattr(module, row["name"]) is constructor
        signature = inspect.signature(constructor)
        assert ("include_preprocessing" in signature.parameters) == row["include_preprocessing"]["exists"]
        if row["include_preprocessing"]["exists"]:
            assert signature.parameters["include_preprocessing"].default == row["include_preprocessing"]["default"]
        zeros = np.zeros((1, 2, 2, 3), dtype="float32")
        full = np.full((1, 2, 2, 3), 255.0, dtype="float32")
        np.testing.assert_allclose(module.preprocess_input(zeros)[0, 0, 0], row["preprocess_input_of_0"], atol=1e-3)
        np.testing.assert_allclose(module.preprocess_input(full)[0, 0, 0], row["preprocess_input_of_255"], atol=1e-3)


def test_mode_layer_equivalents_match_preprocess_input() -> None:
    """The exact built-in layers the fixes insert reproduce each mode within 1e-5."""
    import keras

    pixels = np.linspace(0, 255, 256 * 3, dtype="float32").reshape(1, 16, 16, 3)
    for mode, spec in CATALOG.modes.items():
        if not spec.layers:
            continue
        module = {"tf": "mobilenet_v2", "torch": "densenet"}[mode]
        expected = getattr(keras.applications, module).preprocess_input(pixels.copy())
        out = pixels
        for layer, args in spec.layers:
            out = eval(f"keras.layers.{layer}({args})", {"keras": keras})(out)
        np.testing.assert_allclose(np.asarray(out), expected, atol=1e-5)


def test_augmentation_layers_exist_with_recorded_value_range() -> None:
    import keras
    import tf_keras

    for key, layer in CATALOG.layers.items():
        if ":" not in key:
            continue
        package = keras if layer.framework == "keras3" else tf_keras
        cls = getattr(package.layers, layer.name)
        params = inspect.signature(cls.__init__).parameters
        if layer.value_range_default is not None:
            assert str(tuple(params["value_range"].default)) == layer.value_range_default
        elif layer.framework == "keras3":
            assert "value_range" not in params or not layer.range_sensitive


def test_catalogue_is_generated_from_the_domain_facts(tmp_path) -> None:
    domain = ROOT.parent / "shared" / "domain"
    if not domain.exists():
        pytest.skip("shared/domain is not beside this checkout")
    script = (ROOT / "scripts" / "build_catalog.py").read_text()
    copy = tmp_path / "scripts" / "build_catalog.py"
    copy.parent.mkdir()
    copy.write_text(script)
    (tmp_path / "fixorder" / "catalog").mkdir(parents=True)
    subprocess.run([sys.executable, str(copy), str(domain)], check=True, capture_output=True)
    for name in ("backbones.json", "augmentations.json"):
        assert (tmp_path / "fixorder" / "catalog" / name).read_text() == \
            (ROOT / "fixorder" / "catalog" / name).read_text()
