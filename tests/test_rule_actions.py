"""The codemod actions FO102-FO106 use: remove/move list elements, remove arguments and
statements, replace expressions, insert a statement after another.  Layout and comments
elsewhere must survive byte for byte."""

from __future__ import annotations

import libcst as cst
import pytest

from codemods.actions import (
    InsertStatementAfter, MoveElement, RemoveArg, RemoveElement, RemoveStatement, ReplaceExpression, apply_actions,
)


def _list(module: cst.Module) -> cst.List:
    found = []

    class Visitor(cst.CSTVisitor):
        def visit_List(self, node: cst.List) -> None:
            found.append(node)

    module.visit(Visitor())
    return found[0]


def _element(lst: cst.List, text: str, module: cst.Module) -> cst.Element:
    return next(e for e in lst.elements if module.code_for_node(e.value) == text)


@pytest.mark.parametrize("source, removed, expected", [
    ("m = S([a, b, c])\n", "a", "m = S([b, c])\n"),
    ("m = S([a, b, c])\n", "b", "m = S([a, c])\n"),
    ("m = S([a, b, c])\n", "c", "m = S([a, b])\n"),
    ("m = S([\n    a,\n    b,\n    c,\n])\n", "c", "m = S([\n    a,\n    b,\n])\n"),
    # A removed element's comments stay (issue 16, item 12): its end-of-line comment becomes a
    # line of its own, the lines above the next element stay above it.
    ("m = S([\n    a,\n    b,  # scale\n    c,\n])\n", "b", "m = S([\n    a,\n    # scale\n    c,\n])\n"),
    ("m = S([\n    a,\n    b,\n    # the backbone\n    c,\n])\n", "b", "m = S([\n    a,\n    # the backbone\n    c,\n])\n"),
    ("m = S([\n    # first\n    a,  # scale\n    b,\n])\n", "a", "m = S([\n    # first\n    # scale\n    b,\n])\n"),
])
def test_remove_element(source: str, removed: str, expected: str) -> None:
    module = cst.parse_module(source)
    lst = _list(module)
    new, count = apply_actions(module, [RemoveElement(lst, _element(lst, removed, module))])
    assert (new.code, count) == (expected, 1)


@pytest.mark.parametrize("source, moved, after, expected", [
    ("m = S([p, a, b, base])\n", "p", "b", "m = S([a, b, p, base])\n"),
    ("m = S([p, a, b])\n", "p", "b", "m = S([a, b, p])\n"),
    ("m = S([\n    p,  # preprocess\n    a,\n    b,\n])\n", "p", "b",
     "m = S([\n    a,\n    b,\n    p,\n])\n"),
    ("m = S([\n    i,\n    p,  # preprocess\n    a,\n    base,\n])\n", "p", "a",
     "m = S([\n    i,\n    a,\n    p,  # preprocess\n    base,\n])\n"),
])
def test_move_element(source: str, moved: str, after: str, expected: str) -> None:
    module = cst.parse_module(source)
    lst = _list(module)
    action = MoveElement(lst, _element(lst, moved, module), _element(lst, after, module))
    new, _ = apply_actions(module, [action])
    assert new.code == expected


@pytest.mark.parametrize("source, keyword, expected", [
    ("g = G(rescale=1 / 255, flip=True)\n", "rescale", "g = G(flip=True)\n"),
    ("g = G(flip=True, rescale=1 / 255)\n", "rescale", "g = G(flip=True)\n"),
    ("g = G(\n    flip=True,\n    rescale=1 / 255,\n)\n", "rescale", "g = G(\n    flip=True,\n)\n"),
])
def test_remove_arg(source: str, keyword: str, expected: str) -> None:
    module = cst.parse_module(source)
    call = module.body[0].body[0].value
    arg = next(a for a in call.args if a.keyword and a.keyword.value == keyword)
    new, _ = apply_actions(module, [RemoveArg(call, arg)])
    assert new.code == expected


def test_remove_statement_keeps_blank_line_separation() -> None:
    module = cst.parse_module("a = 1\n\nx = x / 255.0\ny = 2\n")
    new, _ = apply_actions(module, [RemoveStatement(module.body[1])])
    assert new.code == "a = 1\n\ny = 2\n"


def test_remove_statement_keeps_the_comments_above_and_after_it() -> None:
    """Issue 16, item 12: the user's comment stays where it stood, on the next statement."""
    module = cst.parse_module("a = 1\n\n# note\nx = x / 255.0  # scale\ny = 2\n")
    new, _ = apply_actions(module, [RemoveStatement(module.body[1])])
    assert new.code == "a = 1\n\n# note\n# scale\ny = 2\n"


def test_remove_the_last_statement_keeps_its_comment_as_the_footer() -> None:
    module = cst.parse_module("a = 1\n# note\nx = x / 255.0\n")
    new, _ = apply_actions(module, [RemoveStatement(module.body[1])])
    assert new.code == "a = 1\n# note\n"


def test_replace_expression_keeps_parentheses_and_insert_after() -> None:
    module = cst.parse_module("x = (f(y))\nz = x\n")
    call = module.body[0].body[0].value
    new, _ = apply_actions(module, [ReplaceExpression(call, "g(y)"),
                                    InsertStatementAfter(module.body[0], "x = h(x)\n")])
    assert new.code == "x = (g(y))\nx = h(x)\nz = x\n"
