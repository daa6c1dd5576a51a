"""The text of a transformed module, reusing the original text of everything a fix left alone.

A fix changes a few statements, but ``Module.code`` regenerates the whole file, and the report
renders one rewritten module per finding.  The transform in ``actions`` returns untouched
subtrees as the very same objects, so comparing statement lists by identity finds what changed;
only those statements are generated again, at the indentation of the block they sit in, and
spliced into the original text.  The result equals ``new.code`` (tests/test_render.py checks
it for every fix in testdata/); anything this does not understand falls back to ``new.code``.
Lines the fix made longer than the file's limit are then wrapped (``wrap``).
"""

from __future__ import annotations

import difflib
from dataclasses import fields

import libcst as cst
from libcst._nodes.internal import CodegenState

from codemods.wrap import line_limit, wrap_long_lines
from fixorder.analysis.source_map import SourceMap


class _Fallback(Exception):
    """The change is outside what splicing handles; generate the whole module."""


def render(old: cst.Module, new: cst.Module, source_map: SourceMap) -> str:
    """``new.code``, where ``new`` is ``old`` transformed and ``source_map`` maps ``old``, with
    the lines the transform made too long for the file wrapped."""
    if new is old:
        return source_map.source
    return wrap_long_lines(splice(old, new, source_map), line_limit(source_map.source))


def splice(old: cst.Module, new: cst.Module, source_map: SourceMap) -> str:
    """``new.code``, generating only the statements that changed."""
    if new is old:
        return source_map.source
    if not old.has_trailing_newline or not _same_except(old, new, "body"):
        return new.code
    splices: list[tuple[int, int, str]] = []
    try:
        _block(list(old.body), list(new.body), [], new, source_map, splices)
    except (_Fallback, KeyError):  # KeyError: a node the map does not know
        return new.code
    text = source_map.source
    out, cursor = [], 0
    for start, end, replacement in sorted(splices, key=lambda s: (s[0], s[1])):
        if start < cursor:
            return new.code
        out.append(text[cursor:start])
        out.append(replacement)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def _same(a, b) -> bool:
    if a is b:
        return True
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(x is y for x, y in zip(a, b))
    if isinstance(a, cst.CSTNode) or isinstance(b, cst.CSTNode):
        return False
    return a == b


def _same_except(old: cst.CSTNode, new: cst.CSTNode, name: str) -> bool:
    return type(old) is type(new) and all(
        _same(getattr(old, f.name), getattr(new, f.name)) for f in fields(old) if f.name != name)


def _block(old: list, new: list, indent: list[str], module: cst.Module, source_map: SourceMap,
           splices: list) -> None:
    """Splices that turn the statements ``old`` into ``new`` (one block's body)."""
    if not old:
        raise _Fallback
    matcher = difflib.SequenceMatcher(a=[id(s) for s in old], b=[id(s) for s in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            for o, n in zip(old[i1:i2], new[j1:j2]):
                _statement(o, n, indent, module, source_map, splices)
            continue
        if i1 < i2:
            start, end = source_map.span(old[i1])[0], source_map.span(old[i2 - 1])[1]
        else:  # an insertion: before the next statement, or after the block's last one
            start = end = source_map.span(old[i1])[0] if i1 < len(old) else source_map.span(old[-1])[1]
        splices.append((start, end, "".join(_generate(s, indent, module) for s in new[j1:j2])))


def _statement(old: cst.CSTNode, new: cst.CSTNode, indent: list[str], module: cst.Module,
               source_map: SourceMap, splices: list) -> None:
    body_old, body_new = getattr(old, "body", None), getattr(new, "body", None)
    if (isinstance(body_old, cst.IndentedBlock) and isinstance(body_new, cst.IndentedBlock)
            and _same_except(old, new, "body") and _same_except(body_old, body_new, "body")):
        inner = indent + [body_old.indent if body_old.indent is not None else module.default_indent]
        _block(list(body_old.body), list(body_new.body), inner, module, source_map, splices)
        return
    start, end = source_map.span(old)
    splices.append((start, end, _generate(new, indent, module)))


def _generate(statement: cst.CSTNode, indent: list[str], module: cst.Module) -> str:
    state = CodegenState(default_indent=module.default_indent, default_newline=module.default_newline)
    state.indent_tokens = list(indent)
    statement._codegen(state)
    return "".join(state.tokens)
