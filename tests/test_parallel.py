"""Several worker processes give exactly the results of one; pre-commit gets one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fixorder.run import worker
from fixorder.inputs.options import Options
from fixorder.run.runner import run

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted((ROOT / "testdata").rglob("*.py"))


def _tree(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    for copy in range(2):
        for case in CASES:
            dest = tree / f"copy{copy}" / case.parent.name / case.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(case, dest)
    (tree / "broken.py").write_text("from keras import applications\ndef f(:\n")
    return tree


def _report(result) -> tuple:
    return (json.dumps([f.to_json() for f in result.findings], sort_keys=True),
            [f.fix is not None and f.fix.action is not None for f in result.findings],
            result.errors, result.diffs, result.analysed)


def test_pool_results_equal_one_worker(tmp_path, monkeypatch):
    tree = _tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    assert worker.pool_size(2, len(CASES) * 2) == 2
    one = run([str(tree)], Options(), jobs=1)
    two = run([str(tree)], Options(), jobs=2)
    assert one.analysed > len(CASES)  # most cases name a backbone module; broken.py too
    assert len(one.findings) > len(CASES) // 2
    assert _report(one) == _report(two)


def test_pool_diffs_equal_one_worker(tmp_path, monkeypatch):
    tree = _tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    one = run([str(tree)], Options(), diff=True, jobs=1)
    two = run([str(tree)], Options(), diff=True, jobs=2)
    assert one.diffs
    assert _report(one) == _report(two)


@pytest.mark.parametrize("jobs, files, expected", [(8, 100, 8), (8, 3, 1), (1, 100, 1), (4, worker.POOL_MIN_FILES, 4)])
def test_pool_size(jobs, files, expected, monkeypatch):
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    assert worker.pool_size(jobs, files) == expected


def test_one_worker_under_pre_commit(monkeypatch):
    monkeypatch.setenv("PRE_COMMIT", "1")
    assert worker.pool_size(8, 1000) == 1
