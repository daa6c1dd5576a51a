"""Splicing the statements a fix changed into the original text gives exactly ``new.code``."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from codemods.actions import apply_actions
from codemods.render import render, splice
from fixorder.run import engine
from fixorder.analysis.source_map import SourceMap
from fixorder.run.engine import Options
from tests.fix_invariants import has_applicable_fix

TESTDATA = Path(__file__).resolve().parent.parent / "testdata"
FIXTURES = sorted(TESTDATA.rglob("*.py"))


# Only fixtures with a fix: without an action there is nothing to render.
FIXED_CASES = [(fixture, strategy) for strategy in ("insert", "fold") for fixture in FIXTURES
               if has_applicable_fix(fixture, strategy)]


@pytest.mark.parametrize("fixture, strategy", FIXED_CASES,
                         ids=[f"{p.relative_to(TESTDATA)}-{s}" for p, s in FIXED_CASES])
def test_render_equals_full_code_generation(fixture, strategy):
    source = fixture.read_text(encoding="utf-8")
    findings, tree, source_map, _ = engine._analyze(fixture.name, cst.parse_module(source),
                                                 Options(strategy=strategy, unsafe_fixes=True), source)
    actions = [f.fix.action for f in findings if f.fix is not None and f.fix.action is not None]
    assert actions
    for batch in [[a] for a in actions] + ([actions] if len(actions) > 1 else []):
        new, _ = apply_actions(tree, batch, positions=source_map)
        assert splice(tree, new, source_map) == new.code


def _transform(source: str, transformer: cst.CSTTransformer) -> tuple[cst.Module, cst.Module, SourceMap]:
    module = cst.parse_module(source)
    return module, module.visit(transformer), SourceMap(module, source)


class _RenameY(cst.CSTTransformer):
    def leave_Name(self, original, updated):
        return updated.with_changes(value="why") if original.value == "y" else updated


class _AddFirst(cst.CSTTransformer):
    def leave_Module(self, original, updated):
        return updated.with_changes(body=[cst.parse_statement("import os\n"), *updated.body])


@pytest.mark.parametrize("source", [
    "a = 1\n\ndef f(x):\n\tif x:\n\t\ty = 2  # tabs\n\treturn (x,\n\t        y)\n",
    "class C:\n  def m(self):\n      y = 1\n      return y\n# footer\n",
    "y = 1",  # no trailing newline: falls back, still equal
    "x = 1\r\nif x:\r\n    y = 2\r\n",
])
@pytest.mark.parametrize("transformer", [_RenameY, _AddFirst])
def test_render_keeps_layout_in_nested_blocks(source, transformer):
    old, new, source_map = _transform(source, transformer())
    assert splice(old, new, source_map) == new.code


def test_an_unchanged_module_is_its_source():
    module = cst.parse_module("x = 1\n")
    assert render(module, module, SourceMap(module, "x = 1\n")) == "x = 1\n"
