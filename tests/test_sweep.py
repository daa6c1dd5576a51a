"""A fast slice of benchmarks/sweep.py: real Keras source through ``fixorder --fix``.

The full sweep (every .py file of tensorflow, keras and tf_keras) takes many minutes and runs
as ``python benchmarks/sweep.py``; this samples the keras package so that every test run still
meets code nobody here wrote.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

SWEEP_SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "sweep.py"


def load_sweep():
    spec = importlib.util.spec_from_file_location("fixorder_sweep", SWEEP_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_sample_of_the_keras_package_is_processed_and_left_intact():
    result = load_sweep().sweep(["keras"], sample=40, seed=7, jobs=2, keep=False, chunk_size=20, chunk_timeout=300)
    assert result["files"] == 40
    assert result["problems"] == []
    assert "internal error" not in result["errors"]
    assert result["files_byte_identical"] + result["files_fixed"] == 40
    assert result["chunks_timed_out"] == [] and result["files_not_reached"] == 0
