"""FO102-FO106 fixtures: expected findings, fix outputs, idempotence, safety tiers, docs.

Until the generated fixture test covers these folders, this module checks them the same way:
``testdata/FO10x/<case>.py`` against ``<case>.txt`` (``line:col CODE`` per finding), and
``testdata/fixes/FO10x_<case>.in.py`` against ``.out.py`` (``--fix``: safe fixes only) and
``.unsafe.out.py`` (``--unsafe-fixes``, present when unsafe fixes change more).
"""

from __future__ import annotations

import builtins
import shutil
from pathlib import Path

import libcst as cst
import pytest
from click.testing import CliRunner
from libcst.metadata import MetadataWrapper, ScopeProvider

from fixorder.cli import main
from fixorder.engine import Options, check_source, fix_source
from fixorder.findings import SAFE, UNSAFE

ROOT = Path(__file__).resolve().parent.parent / "testdata"
RULES = ("FO102", "FO103", "FO104", "FO105", "FO106")
CASES = sorted(p for rule in RULES for p in (ROOT / rule).glob("*.py"))
FIXES = sorted(p for rule in RULES for p in (ROOT / "fixes").glob(f"{rule}_*.in.py"))


def findings_text(path: Path, source: str) -> list[str]:
    result = check_source(str(path), source, Options())
    assert result.error is None
    return [f"{f.line}:{f.column} {f.code}" for f in result.findings]


def expected_lines(path: Path) -> list[str]:
    return [line for line in path.read_text().splitlines() if line.strip()]


def unresolved_names(source: str) -> set[str]:
    """Names read somewhere that no scope of the module binds (and are not builtins)."""
    wrapper = MetadataWrapper(cst.parse_module(source))
    scopes = set(wrapper.resolve(ScopeProvider).values())
    missing = set()
    for scope in scopes:
        if scope is None:
            continue
        for access in scope.accesses:
            name = access.node.value if isinstance(access.node, cst.Name) else None
            if name and not access.referents and not hasattr(builtins, name):
                missing.add(name)
    return missing


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_findings_match_expected(case: Path) -> None:
    assert findings_text(case, case.read_text()) == expected_lines(case.with_suffix(".txt"))


def test_every_rule_has_positive_and_negative_cases() -> None:
    for rule in RULES:
        texts = [p.read_text() for p in (ROOT / rule).glob("*.txt")]
        assert any(rule in t for t in texts), f"{rule} has no positive case"
        assert any(rule not in t for t in texts), f"{rule} has no negative case"
        assert any(p.name.startswith(rule) for p in FIXES), f"{rule} has no fix case"


def _fixed(path: Path, unsafe: bool) -> str:
    source = path.read_text()
    result = fix_source(str(path), source, Options(unsafe_fixes=unsafe))
    assert result.error is None
    return result.fixed_source or source


@pytest.mark.parametrize("case", FIXES, ids=lambda p: p.name[:-len(".in.py")])
@pytest.mark.parametrize("unsafe", [False, True], ids=["fix", "unsafe-fixes"])
def test_fix_round_trip(case: Path, unsafe: bool) -> None:
    stem = str(case)[:-len(".in.py")]
    expected_path = Path(stem + ".unsafe.out.py") if unsafe and Path(stem + ".unsafe.out.py").exists() \
        else Path(stem + ".out.py")
    source = case.read_text()
    out = _fixed(case, unsafe)
    assert out == expected_path.read_text()
    cst.parse_module(out)  # parses
    assert unresolved_names(out) <= unresolved_names(source)  # no undefined name introduced
    again = fix_source(str(case), out, Options(unsafe_fixes=unsafe))
    assert again.fixed_source is None or again.fixed_source == out  # idempotent
    remaining = check_source(str(case), out, Options()).findings
    applied = {SAFE, UNSAFE} if unsafe else {SAFE}
    # Nothing the chosen tier can fix is left behind.
    assert not [f for f in remaining if f.fix and f.fix.action is not None and f.fix.applicability in applied]


def test_fix_cases_change_something() -> None:
    for case in FIXES:
        stem = str(case)[:-len(".in.py")]
        source = case.read_text()
        assert Path(stem + ".out.py").read_text() != source or Path(stem + ".unsafe.out.py").exists(), case.name


def test_cli_fix_leaves_unsafe_fixes_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = ROOT / "fixes" / "FO104_function_parameter_origin.in.py"
    target = tmp_path / "embed.py"
    shutil.copy(case, target)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    first = runner.invoke(main, ["--fix", "embed.py"])
    assert first.exit_code == 1
    assert target.read_text() == case.read_text()  # the only fix is unsafe: --fix leaves it
    assert "1 more fixable with --unsafe-fixes (left unfixed)" in first.output
    second = runner.invoke(main, ["--fix", "--unsafe-fixes", "embed.py"])
    assert second.exit_code == 0, second.output
    assert target.read_text() == (ROOT / "fixes" / "FO104_function_parameter_origin.unsafe.out.py").read_text()


def test_cli_fix_applies_safe_fixes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = ROOT / "fixes" / "FO105_generator_rescale_efficientnet.in.py"
    target = tmp_path / "train.py"
    shutil.copy(case, target)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--fix", "train.py"])
    assert result.exit_code == 0, result.output
    assert "1 fixed" in result.output
    assert target.read_text() == (ROOT / "fixes" / "FO105_generator_rescale_efficientnet.out.py").read_text()


@pytest.mark.parametrize("code", RULES)
def test_rule_documentation(code: str) -> None:
    result = CliRunner().invoke(main, ["rule", code])
    assert result.exit_code == 0
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"):
        assert section in result.output
