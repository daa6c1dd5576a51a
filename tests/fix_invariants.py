"""What every fix must keep true, as checks shared by the convergence, property and sweep tests."""

from __future__ import annotations

import ast

import libcst as cst
from pyflakes.checker import Checker
from pyflakes.messages import UndefinedName

from fixorder.run.engine import Options, applicable, check_source, fix_source


def undefined_names(source: str) -> set[str]:
    """Names used but never bound, as pyflakes sees them (its scope analysis, not ours)."""
    checker = Checker(ast.parse(source), "<fixed>")
    return {m.message_args[0] for m in checker.messages if isinstance(m, UndefinedName)}


def broken_invariants(path: str, source: str, options: Options) -> list[str]:
    """Every way the fix of ``source`` breaks a guarantee; empty when it keeps them all."""
    result = fix_source(path, source, options)
    if not result.changed:
        return []
    fixed = result.fixed_source
    problems = []
    try:
        cst.parse_module(fixed)
        compile(fixed, path, "exec", dont_inherit=True)
    except (cst.ParserSyntaxError, SyntaxError) as exc:
        return [f"the fixed file does not parse: {exc}"]
    new_names = undefined_names(fixed) - undefined_names(source)
    if new_names:
        problems.append(f"the fix introduced undefined names: {sorted(new_names)}")
    again = fix_source(path, fixed, options)
    if again.changed:
        problems.append("a second --fix changed the file again (no fixed point after one pass)")
    remaining = check_source(path, fixed, options)
    still_fixable = [f.code for f in remaining.findings if applicable(f, options)]
    if still_fixable:
        problems.append(f"fixable findings remain after --fix: {still_fixable}")
    return problems


_FIXABLE: dict[tuple[str, str], bool] = {}


def has_applicable_fix(path, strategy: str) -> bool:
    """Whether ``path`` (a fixture) gets a fix with ``strategy`` and unsafe fixes on; computed
    once per process, so tests can parametrise only over the cases where a fix is checked."""
    key = (str(path), strategy)
    if key not in _FIXABLE:
        options = Options(strategy=strategy, unsafe_fixes=True)
        source = open(path, encoding="utf-8").read()
        _FIXABLE[key] = any(applicable(f, options) for f in check_source(str(path), source, options).findings)
    return _FIXABLE[key]
