"""Small readers of libcst syntax shared by the interpreter and the API models."""

from __future__ import annotations

import dataclasses
import functools
from typing import Iterator

import libcst as cst

_SUITE_FIELDS = ("body", "orelse", "handlers", "finalbody", "cases")


def count_statements(module: cst.Module) -> int:
    """Statements in the module (small statements and compound ones, nested included): the
    size the work budget is proportional to.  Walks statement fields only, not expressions."""
    count = 0
    stack: list = [module.body]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, cst.SimpleStatementLine):
            count += len(item.body)
        elif isinstance(item, cst.SimpleStatementSuite):
            count += len(item.body)
        elif isinstance(item, cst.BaseSuite):
            stack.append(item.body)
        elif isinstance(item, cst.CSTNode):
            count += 1
            for name in _SUITE_FIELDS:
                child = getattr(item, name, None)
                if child is not None and not isinstance(child, cst.BaseExpression):
                    stack.append(child)
    return count


def dotted(node: cst.BaseExpression) -> str:
    """``a.b.c`` for a Name/Attribute chain, "" for anything else."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{dotted(node.value)}.{node.attr.value}"
    return ""


def name_of(node: cst.BaseExpression) -> str:
    return node.value if isinstance(node, cst.Name) else dotted(node)


def string(node: cst.BaseExpression) -> str | None:
    """The value of a plain string literal, None for anything else."""
    if isinstance(node, cst.SimpleString):
        return node.evaluated_value if isinstance(node.evaluated_value, str) else None
    return None


def is_literal_name(node: cst.BaseExpression, *names: str) -> bool:
    """``node`` is one of the builtin constants ``names`` (``None``, ``True``, ``False``)."""
    return isinstance(node, cst.Name) and node.value in names


def source(module: cst.Module, node: cst.CSTNode) -> str:
    try:
        return module.code_for_node(node)
    except Exception:  # pragma: no cover - code generation of a detached node
        return "call"


# Fields that hold only tokens and whitespace (most of a tree's nodes), never an expression or a
# statement: walks over code do not enter them (several times cheaper than ``node.children``).
_TOKEN_FIELDS = frozenset({"lpar", "rpar", "comma", "semicolon", "colon", "dot", "equal", "operator",
                           "leading_lines", "trailing_whitespace", "lines_after_decorators", "header",
                           "footer", "newline", "lbracket", "rbracket", "lbrace", "rbrace"})


@functools.cache
def code_fields(kind: type) -> tuple[str, ...]:
    """The fields of a node type that may hold code (not only tokens and whitespace)."""
    return tuple(f.name for f in dataclasses.fields(kind)
                 if f.name not in _TOKEN_FIELDS and not f.name.startswith("whitespace"))


@functools.cache
def is_node(kind: type) -> bool:
    return issubclass(kind, cst.CSTNode)


def code_children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The node's children that may hold code, in source order."""
    for name in code_fields(type(node)):
        value = getattr(node, name)
        for child in value if type(value) in (list, tuple) else (value,):
            if is_node(type(child)):
                yield child
