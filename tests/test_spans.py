"""An ast node's span, converted to characters, finds the libcst node of the same construct
(fixorder/analysis/spans.py): on every fixture and on the substrate oracle's variants where
positions are easy to get wrong (non-ASCII names and comments, CRLF, tabs, decorators,
f-strings)."""

from __future__ import annotations

import ast
import collections
import functools

import libcst as cst
import pytest

from fixorder.analysis.source_map import SourceMap
from fixorder.analysis.spans import AST_TO_CST, AstOffsets, CstLocator, locatable
from tests.benchmark_scripts import load_benchmark

_script = load_benchmark("substrate_oracle", "fixorder_substrate_oracle")
_fixtures = _script.texts(_script.fixture_files())
SOURCES = [(d, t) for d, t in _fixtures + _script.edge_sources(_fixtures) if d.endswith(".py")]


@functools.lru_cache(maxsize=None)
def _unlocated(text: str) -> tuple[collections.Counter, list[str]]:
    tree, module = ast.parse(text), cst.parse_module(text)
    locator, offsets = CstLocator(SourceMap(module, text)), AstOffsets(text)
    found, missing = collections.Counter(), []
    parents = {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if not locatable(node, parents.get(id(node))):
            continue
        located = locator.node_for(node, offsets)
        if located is None:
            missing.append(f"{type(node).__name__} at {node.lineno}:{node.col_offset}: {ast.get_source_segment(text, node)!r}")
            continue
        found[type(node).__name__] += 1
        start, end = offsets.span(node)
        # The located node's text is the ast node's (a parenthesised tuple's with its parentheses).
        assert text[start:end] == ast.get_source_segment(text, node)
    return found, missing


def _parses_in_both(text: str) -> bool:
    try:
        ast.parse(text)
        cst.parse_module(text)
    except (SyntaxError, cst.ParserSyntaxError, RecursionError):
        return False
    return True


PARSED = [(d, t) for d, t in SOURCES if _parses_in_both(t)]


@pytest.mark.parametrize("display,text", PARSED, ids=[d for d, _ in PARSED])
def test_every_ast_node_finds_its_libcst_node(display, text):
    found, missing = _unlocated(text)
    assert missing == []
    assert sum(found.values()) > 0


def test_the_fixtures_exercise_the_kinds_the_analysis_reads():
    total: collections.Counter = collections.Counter()
    for _, text in PARSED:
        total.update(_unlocated(text)[0])
    for kind in ("Call", "Name", "Attribute", "Subscript", "BinOp", "Tuple", "List", "Lambda", "keyword", "alias",
                 "Assign", "AugAssign", "FunctionDef", "ClassDef", "If", "For", "With", "Try", "Return", "Yield"):
        assert total[kind] > 0, kind


def test_columns_count_characters_not_utf8_bytes():
    text = "ξ = 'ü🙂'; base = keras.applications.MobileNetV2()\r\nf = base(ξ)\n"
    tree, offsets = ast.parse(text), AstOffsets(text)
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute))
    start, end = offsets.span(call)
    assert call.col_offset == 22  # bytes: ξ, ü and 🙂 take 2, 2 and 4
    assert offsets.line_column(start) == (1, 17) and text[start:end] == "keras.applications.MobileNetV2()"
    module = cst.parse_module(text)
    source_map = SourceMap(module, text)
    located = CstLocator(source_map).node_for(call, offsets)
    assert located is source_map.nodes_of(cst.Call)[0]
    assert source_map[located].start.column == 17
    second = next(n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "ξ" and n.lineno == 2)
    assert offsets.line_column(offsets.span(second)[0]) == (2, 9)


def test_every_mapped_kind_is_an_ast_node_type():
    assert all(issubclass(kind, ast.AST) for kind in AST_TO_CST)


def _action_targets(display: str, text: str, strategy: str):
    """(action, field, libcst node) for every node the fixes of ``text`` act on, with the module."""
    from codemods.actions import flatten

    from fixorder.inputs.options import Options
    from fixorder.run import engine

    module = engine.parse(text)
    findings, _, source_map, _ = engine._analyze(display, module, Options(strategy=strategy, unsafe_fixes=True), text)
    targets = []
    for finding in findings:
        if finding.fix is None or finding.fix.action is None:
            continue
        for part in flatten([finding.fix.action]):
            for name, value in vars(part).items():
                for item in value if isinstance(value, (list, tuple)) else (value,):
                    if isinstance(item, cst.CSTNode):
                        targets.append((type(part).__name__, name, item))
    return source_map, targets


WITH_FIXES = [(d, t) for d, t in PARSED if "applications" in t]


def test_every_node_a_fix_acts_on_is_located_from_an_ast_node():
    """Step 3 of issue 18: a fix found on the ast tree reaches libcst's nodes by position.  Each
    node the fixtures' fixes act on today (both strategies) is ``locate(ast node, relation)``
    for some ast node of the same text and one of ``RELATIONS``."""
    from fixorder.analysis.spans import RELATIONS

    seen: collections.Counter = collections.Counter()
    unlocated = []
    for display, text in WITH_FIXES:
        tree, offsets = ast.parse(text), AstOffsets(text)
        for strategy in ("insert", "fold"):
            source_map, targets = _action_targets(display, text, strategy)
            if not targets:
                continue
            locator = CstLocator(source_map)
            reachable = {}
            for node in ast.walk(tree):
                for relation in RELATIONS:
                    found = locator.locate(node, offsets, relation) if type(node) in AST_TO_CST else None
                    if found is not None:
                        reachable.setdefault(id(found), relation)
            for action, field, node in targets:
                relation = reachable.get(id(node))
                if relation is None:
                    unlocated.append(f"{display} ({strategy}): {action}.{field} {type(node).__name__}")
                else:
                    seen[(action, field, relation)] += 1
    assert unlocated == []
    # Every action kind the rules build was met, and every relation was needed.
    assert {action for action, _, _ in seen} >= {"WrapExpression", "InsertElement", "InsertStatementBefore",
                                                 "InsertFunctionAfter", "RenameCall", "InsertStatementAfter",
                                                 "RemoveStatement", "RemoveElement", "MoveElement", "RemoveArg",
                                                 "ReplaceExpression"}
    assert {relation for _, _, relation in seen} == set(RELATIONS)
