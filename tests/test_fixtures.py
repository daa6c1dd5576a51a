"""Tests generated from testdata/.

* ``testdata/<RULE>/<case>.py`` with ``<case>.txt``: the whole findings, one ``line:col CODE message``
  line each, with the concise report's marker after the code when the fix is applicable
  (``[*]`` with ``--fix``, ``[-]`` only with ``--unsafe-fixes``); an empty file: no finding.  The messages are reviewed by hand against the
  catalogue's facts when they change; never regenerate them blindly.
* ``testdata/fixes/<case>.in.py`` with ``<case>.out.py`` (insert strategy) and optionally
  ``<case>.fold.out.py``; a case whose name contains ``.unsafe`` is fixed with ``--unsafe-fixes``.
  Every fix round-trips: the output matches, parses, has nothing fixable left, and fixing it
  again changes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import libcst as cst
import pytest

from fixorder.run.engine import Options, applicable, check_source, fix_source
from fixorder.output.text import _marker
from tests.conftest import TESTDATA

CHECK_CASES = sorted(p for p in TESTDATA.glob("FO*/*.py"))
FIX_CASES = sorted(TESTDATA.glob("fixes/*.in.py"))


GOLDEN_LINE = re.compile(r"^(?P<line>[0-9]+):(?P<column>[0-9]+) (?P<code>FO[0-9]{3})(?: \[[*-]\])? "
                         r"(?P<message>[^\[ ].*)$")


def _expected(path: Path) -> list[str]:
    txt = path.with_suffix(".txt")
    assert txt.exists(), f"{txt.name} is missing: every check case lists its expected findings"
    lines = [line.rstrip("\n") for line in txt.read_text().splitlines() if line.strip()]
    for line in lines:
        assert GOLDEN_LINE.match(line), f"{txt.name}: not 'line:col CODE message': {line!r}"
    return lines


@pytest.mark.parametrize("case", CHECK_CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_check_case(case: Path) -> None:
    result = check_source(case.name, case.read_text(), Options())
    got = [f"{f.line}:{f.column} {f.code}{_marker(f)} {f.message}" for f in result.findings]
    assert got == _expected(case)


def test_every_rule_has_a_golden_message() -> None:
    """Each rule's wording is pinned somewhere (FO101..FO107), not only its position."""
    codes = {GOLDEN_LINE.match(line).group("code") for case in CHECK_CASES for line in _expected(case)}
    assert codes == {f"FO10{n}" for n in range(1, 8)}


def test_generator_message_states_keras_order() -> None:
    """ImageDataGenerator applies augmentation, then preprocessing_function, then rescale
    (shared/labelling.md): the FO104 message must say so."""
    case = TESTDATA / "FO104" / "generator_rescale_and_preprocessing_function.py"
    [finding] = check_source(case.name, case.read_text(), Options()).findings
    assert "(mobilenet_v2.preprocess_input then rescale=1.0 / 255)" in finding.message


def _strategies(case: Path):
    base = case.name[: -len(".in.py")]
    yield "insert", case.with_name(base + ".out.py")
    fold = case.with_name(base + ".fold.out.py")
    # Without a .fold.out.py the fold strategy must give the insert result (nothing to fold).
    yield "fold", fold if fold.exists() else case.with_name(base + ".out.py")


@pytest.mark.parametrize("case", FIX_CASES, ids=lambda p: p.name[: -len(".in.py")])
@pytest.mark.parametrize("strategy", ["insert", "fold"])
def test_fix_case(case: Path, strategy: str) -> None:
    expected_path = dict(_strategies(case))[strategy]
    options = Options(strategy=strategy, unsafe_fixes=".unsafe" in case.name)
    source = case.read_text()
    before = check_source(case.name, source, options)
    assert any(applicable(f, options) for f in before.findings), "the input must have a fix to apply"

    fixed = fix_source(case.name, source, options)
    assert fixed.fixed_source == expected_path.read_text()
    cst.parse_module(fixed.fixed_source)
    compile(fixed.fixed_source, case.name, "exec")

    after = check_source(case.name, fixed.fixed_source, options)
    assert not any(applicable(f, options) for f in after.findings)
    assert not [f for f in after.findings if f.code == "FO101"]
    again = fix_source(case.name, fixed.fixed_source, options)
    assert again.fixed_source is None, "a second fix must change nothing"


def test_safe_fix_leaves_unsafe_case_alone() -> None:
    case = TESTDATA / "fixes" / "sequential_caffe_mode.unsafe.in.py"
    result = fix_source(case.name, case.read_text(), Options())
    assert result.fixed_source is None
    [finding] = result.findings
    assert finding.fix.applicability == "unsafe"


def test_classic_shapes() -> None:
    """(a) -> (b) with insert and (c)'s shape with fold (the classic write-up of this bug)."""
    a = (TESTDATA / "FO101" / "eager_augmented_batch.py").read_text()
    b = (TESTDATA / "FO101" / "eager_preprocessed.py").read_text()
    inserted = fix_source("a.py", a, Options()).fixed_source
    assert inserted.splitlines()[1:] == b.splitlines()[1:]
    folded = fix_source("a.py", a, Options(strategy="fold")).fixed_source
    assert "def augment_and_preprocess(images, training=None):" in folded
    assert "augmented = augment_and_preprocess(images, training=True)" in folded
    assert check_source("c.py", folded, Options()).findings == []


@pytest.mark.parametrize("case", ["validation_data_not_preprocessed", "image_data_generator_rescale_only",
                                  "base_input_output"])
def test_unprovable_fixes_are_display_only(case: str) -> None:
    source = (TESTDATA / "FO101" / f"{case}.py").read_text()
    [finding] = check_source(case, source, Options(unsafe_fixes=True)).findings
    assert finding.fix is not None and finding.fix.applicability == "display-only"
    assert finding.fix.edits == []
    assert fix_source(case, source, Options(unsafe_fixes=True)).fixed_source is None
