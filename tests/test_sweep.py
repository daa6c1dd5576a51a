"""A fast slice of benchmarks/sweep.py: real Keras source through ``fixorder --fix``.

The full sweep (every .py file of tensorflow, keras and tf_keras) takes many minutes and runs
as ``python benchmarks/sweep.py``; this samples the keras package so that every test run still
meets code nobody here wrote.
"""

from __future__ import annotations


from tests.benchmark_scripts import load_benchmark


def load_sweep():
    return load_benchmark("sweep", "fixorder_sweep")


def test_a_sample_of_the_keras_package_is_analysed_and_left_intact():
    """40 keras files that the pre-filter lets through, so that each one is parsed and
    interpreted (a random sample of all files reaches the analysis in about 3 of 40)."""
    result = load_sweep().sweep(["keras"], sample=40, seed=7, jobs=2, keep=False, chunk_size=20,
                                chunk_timeout=300, relevant_only=True)
    assert result["files"] == 40 and result["files_analysed"] == 40
    assert result["chunks_timed_out"] == [] and result["files_not_reached"] == 0
    assert result["problems"] == []
    assert result["errors"] == {}, result["error_lines"]
    # Library code is not a training script: the README's full sweep finds nothing in keras.
    assert result["findings"] == {} and result["files_fixed"] == 0
