"""FO102-FO106 beyond what tests/test_fixtures.py checks for every fixture.

test_fixtures.py compares findings with ``.txt`` and fix outputs with ``.out.py``; here:
every rule has positive, negative and fix cases; fixes introduce no undefined name; the
safety tiers (``--fix`` leaves unsafe fixes, and the summary says how many); the rule docs.
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
from fixorder.run.engine import Options, check_source, fix_source
from fixorder.findings import UNSAFE
from tests.conftest import TESTDATA

RULES = ("FO102", "FO103", "FO104", "FO105", "FO106")
FIXES = sorted(p for rule in RULES for p in (TESTDATA / "fixes").glob(f"{rule}_*.in.py"))
UNSAFE_FIXES = [p for p in FIXES if p.name.endswith(".unsafe.in.py")]


def unresolved_names(source: str) -> set[str]:
    """Names read somewhere that no scope of the module binds (and are not builtins)."""
    wrapper = MetadataWrapper(cst.parse_module(source))
    missing = set()
    for scope in set(wrapper.resolve(ScopeProvider).values()):
        if scope is None:
            continue
        for access in scope.accesses:
            name = access.node.value if isinstance(access.node, cst.Name) else None
            if name and not access.referents and not hasattr(builtins, name):
                missing.add(name)
    return missing


def test_unresolved_names_sees_an_undefined_name() -> None:
    assert unresolved_names("import a\nx = foo(a)\n") == {"foo"}


@pytest.mark.parametrize("rule", RULES)
def test_every_rule_has_positive_negative_and_fix_cases(rule: str) -> None:
    texts = [p.read_text() for p in (TESTDATA / rule).glob("*.txt")]
    assert any(rule in t for t in texts), f"{rule} has no positive case"
    assert any(rule not in t for t in texts), f"{rule} has no negative case"
    assert any(p.name.startswith(rule) for p in FIXES), f"{rule} has no fix case"


@pytest.mark.parametrize("case", FIXES, ids=lambda p: p.name[:-len(".in.py")])
def test_fix_introduces_no_undefined_name(case: Path) -> None:
    source = case.read_text()
    fixed = fix_source(case.name, source, Options(unsafe_fixes=True)).fixed_source
    assert fixed is not None and fixed != source
    assert unresolved_names(fixed) <= unresolved_names(source)


@pytest.mark.parametrize("case", UNSAFE_FIXES, ids=lambda p: p.name[:-len(".in.py")])
def test_fix_without_unsafe_fixes_leaves_unsafe_cases_alone(case: Path) -> None:
    result = fix_source(case.name, case.read_text(), Options())
    assert result.fixed_source is None
    assert [f.fix.applicability for f in result.findings if f.code in RULES] == [UNSAFE]


def test_cli_summary_counts_unsafe_fixes_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = TESTDATA / "fixes" / "FO104_function_parameter_origin.unsafe.in.py"
    target = tmp_path / "embed.py"
    shutil.copy(case, target)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    first = runner.invoke(main, ["--fix", "embed.py"])
    assert first.exit_code == 1
    assert target.read_text() == case.read_text()
    assert "1 finding remains (1 fixable with --unsafe-fixes)" in first.output
    second = runner.invoke(main, ["--fix", "--unsafe-fixes", "embed.py"])
    assert second.exit_code == 0, second.output
    assert target.read_text() == case.with_name(case.name.replace(".in.py", ".out.py")).read_text()


def test_cli_fix_applies_safe_fixes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = TESTDATA / "fixes" / "FO105_generator_rescale_efficientnet.in.py"
    target = tmp_path / "train.py"
    shutil.copy(case, target)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--fix", "train.py"])
    assert result.exit_code == 0, result.output
    assert "Fixed 1 finding in 1 file" in result.output
    assert target.read_text() == case.with_name(case.name.replace(".in.py", ".out.py")).read_text()
    assert check_source("train.py", target.read_text(), Options()).findings == []


def test_fo107_has_positive_and_negative_cases() -> None:
    texts = [p.read_text() for p in (TESTDATA / "FO107").glob("*.txt")]
    assert any("FO107" in t for t in texts) and any("FO107" not in t for t in texts)


@pytest.mark.parametrize("module, dtype, mutated", [
    ("mobilenet_v2", "float32", True), ("densenet", "float32", True), ("resnet50", "float64", True),
    ("mobilenet_v2", "uint8", False), ("efficientnet", "float32", False),
])
def test_fo107_premise_preprocess_input_mutates_float_numpy(module: str, dtype: str, mutated: bool) -> None:
    """FO107 relies on this measured Keras behaviour; check it against the installed Keras."""
    import importlib

    import numpy as np
    keras = pytest.importorskip("keras")
    preprocess_input = importlib.import_module(f"keras.applications.{module}").preprocess_input
    x = np.full((1, 2, 2, 3), 200, dtype=dtype)
    preprocess_input(x)
    assert bool((x != 200).any()) is mutated, keras.__version__


@pytest.mark.parametrize("code", RULES + ("FO107",))
def test_rule_documentation(code: str) -> None:
    result = CliRunner().invoke(main, ["rule", code])
    assert result.exit_code == 0
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"):
        assert section in result.output


@pytest.mark.parametrize("case, line", [
    ("FO102/chain_observed_between_is_not_moved", 12),
    ("FO102/image_data_generator_brightness_on_preprocessed", 8),
    ("FO102/tfdata_map_then_color_layers_in_model", 10),
    ("FO105/only_element_of_nested_sequential", 5),
    ("FO105/shared_step_needed_elsewhere", 6),
    ("FO106/unit_scaling_for_torch_model", 8),
    ("FO106/subclassed_efficientnet_v2b0", 8),
])
def test_unprovable_fixes_are_display_only(case: str, line: int) -> None:
    source = (TESTDATA / f"{case}.py").read_text()
    [finding] = [f for f in check_source(case, source, Options(unsafe_fixes=True)).findings if f.line == line]
    assert finding.fix is not None and finding.fix.applicability == "display-only"
    assert finding.fix.action is None and finding.fix.edits == []
