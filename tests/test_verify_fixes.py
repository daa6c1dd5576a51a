"""The fix fixtures executed under ``fixorder verify``: each ``*.in.py`` FAILs, each fixed
``*.out.py`` / ``*.fold.out.py`` PASSes.

All of them run in one verification process (``verify_batch``: TensorFlow starts once) with
frozen backbones (a training step then costs a fraction; the input that reaches the backbone is
the same).  A fixture verify cannot run to a verdict (it was written for the static checks: no
``compile()`` before ``fit``, a function nobody calls, a download) is listed in ``NOT_RUNNABLE``
with the reason, which is checked on its text, so that a fixture made runnable is moved into
the verified set instead of silently staying out of it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("tensorflow")

from fixorder.verify import FAIL, PASS, verify_batch  # noqa: E402
from tests.conftest import TESTDATA  # noqa: E402

FIXES = TESTDATA / "fixes"
ALL_FIXTURES = sorted(p.name for p in FIXES.glob("*.py"))

# Fixtures verify cannot judge, by the reason the run stops (a substring of the UNVERIFIED reason).
_NO_COMPILE = "compile"
_NEVER_CALLED = "never called"  # the pipeline sits in a function the script never calls
_DOWNLOAD = "download refused"
_LEGACY = "tensorflow.python.keras"  # Keras 2's old module path, gone from TensorFlow 2.16+


def _pairs(*stems: str) -> dict[str, str]:
    out = {}
    for stem in stems:
        for name in ALL_FIXTURES:
            if name.startswith(stem + ".") and name[len(stem):] in (".in.py", ".out.py", ".fold.out.py",
                                                                   ".unsafe.in.py", ".unsafe.out.py"):
                out[name] = ""
    return out


NOT_RUNNABLE: dict[str, str] = {}
for _stem in [n[: -len(".in.py")] for n in ALL_FIXTURES if n.endswith(".in.py")]:
    if _stem.startswith(("FO102_", "FO103_", "FO104_", "FO105_", "FO106_")):
        for _name in _pairs(_stem.removesuffix(".unsafe")):
            NOT_RUNNABLE[_name] = _NO_COMPILE
for _name in _pairs("FO103_function_parameter_origin", "FO104_function_parameter_origin"):
    NOT_RUNNABLE[_name] = _NEVER_CALLED
for _name in _pairs("FO105_numpy_divide_eager"):
    NOT_RUNNABLE[_name] = _DOWNLOAD
for _name in _pairs("sequential_first_layer_unknown_shape"):
    NOT_RUNNABLE[_name] = _NO_COMPILE
for _name in _pairs("import_styles"):
    NOT_RUNNABLE[_name] = _LEGACY
# These FO102-FO104 fixtures compile their model and run, or only build it (verify then feeds
# the model a raw batch): they are verified.
for _name in _pairs("FO102_FO104_doubled_then_augmented", "FO104_aliased_import_still_used",
                    "FO104_module_docstring_and_plain_import"):
    NOT_RUNNABLE.pop(_name, None)

VERIFIED = [n for n in ALL_FIXTURES if n not in NOT_RUNNABLE]


@pytest.fixture(scope="module")
def verdicts() -> dict[str, list]:
    results = verify_batch([FIXES / n for n in VERIFIED], timeout=600, freeze_backbones=True)
    return dict(zip(VERIFIED, results))


def test_every_fix_fixture_is_verified_or_listed_with_a_reason() -> None:
    assert set(VERIFIED) | set(NOT_RUNNABLE) == set(ALL_FIXTURES)
    assert len([n for n in VERIFIED if n.endswith(".in.py")]) >= 10


@pytest.mark.parametrize("name", [n for n in VERIFIED if n.endswith(".in.py")])
def test_the_unfixed_fixture_fails_at_runtime(verdicts, name: str) -> None:
    results = verdicts[name]
    assert any(r.verdict == FAIL for r in results), [(r.backbone, r.verdict, r.reason) for r in results]


@pytest.mark.parametrize("name", [n for n in VERIFIED if not n.endswith(".in.py")])
def test_the_fixed_fixture_passes_at_runtime(verdicts, name: str) -> None:
    results = verdicts[name]
    assert results and all(r.verdict == PASS for r in results), [(r.backbone, r.verdict, r.reason) for r in results]


@pytest.mark.parametrize("name", sorted(NOT_RUNNABLE))
def test_a_listed_fixture_still_has_its_reason(name: str) -> None:
    """Checked on the text (running them costs minutes): a fixture that gains compile(), a call
    of its function or local data must move to the verified set."""
    source = (FIXES / name).read_text()
    reason = NOT_RUNNABLE[name]
    if reason == _NO_COMPILE:
        assert ".fit(" in source and ".compile(" not in source
    elif reason == _NEVER_CALLED:
        function = source.split("def ", 1)[1].split("(", 1)[0]
        assert source.count(function + "(") == 1, "the function is called: verify can run it"
    elif reason == _LEGACY:
        assert f"from {_LEGACY}" in source or f"import {_LEGACY}" in source
    else:
        assert "load_data()" in source
