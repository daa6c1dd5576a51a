"""Every fixture in testdata/, fixed with either strategy, converges, parses and stays defined.

The invariants (tests/fix_invariants.py): the fixed file parses with libcst and compiles with
CPython, pyflakes finds no undefined name that was not already undefined before, a second
``--fix`` changes nothing, and no applicable fix remains.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fixorder.run.engine import Options, fix_source
from tests.fix_invariants import broken_invariants, has_applicable_fix
from tests.safety_support import run_fixorder

TESTDATA = Path(__file__).resolve().parent.parent / "testdata"
FIXTURES = sorted(TESTDATA.rglob("*.py"))
STRATEGIES = ["insert", "fold"]


def test_there_are_fixtures_to_prove_it_on():
    assert len(FIXTURES) >= 50


# Only the fixtures that get a fix: on the others the invariants hold vacuously (nothing changes).
FIXED_CASES = [(fixture, strategy) for strategy in STRATEGIES for fixture in FIXTURES
               if has_applicable_fix(fixture, strategy)]


def test_most_fixtures_get_a_fix_with_each_strategy():
    for strategy in STRATEGIES:
        assert sum(s == strategy for _, s in FIXED_CASES) >= 100, strategy


@pytest.mark.parametrize("fixture, strategy", FIXED_CASES,
                         ids=[f"{p.relative_to(TESTDATA)}-{s}" for p, s in FIXED_CASES])
def test_fix_keeps_the_invariants(fixture, strategy):
    source = fixture.read_text(encoding="utf-8")
    options = Options(strategy=strategy, unsafe_fixes=True)
    path = str(fixture.relative_to(TESTDATA))
    assert fix_source(path, source, options).changed, "a case with an applicable fix must change"
    assert broken_invariants(path, source, options) == []


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_a_second_fix_run_over_all_fixtures_changes_nothing(tmp_path, strategy):
    """Through the real command line: one --fix pass reaches the fixed point."""
    copy = tmp_path / "testdata"
    shutil.copytree(TESTDATA, copy)
    first = run_fixorder("--fix", "--unsafe-fixes", "--strategy", strategy, "-q", ".", cwd=copy, timeout=600)
    assert "Traceback" not in first.stderr
    changed = {p: p.read_bytes() for p in sorted(copy.rglob("*.py"))}
    originals = {copy / p.relative_to(TESTDATA): p.read_bytes() for p in FIXTURES}
    assert sum(changed[p] != originals[p] for p in changed) >= 10  # the first pass did fix files
    second = run_fixorder("--fix", "--unsafe-fixes", "--strategy", strategy, ".", cwd=copy, timeout=600)
    assert "Fixed" not in second.stderr, second.stderr
    assert {p: p.read_bytes() for p in sorted(copy.rglob("*.py"))} == changed
