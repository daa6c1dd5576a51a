"""SourceMap gives the same positions, parents and text as libcst's own (slower) machinery."""

from __future__ import annotations

import io
import tokenize
from pathlib import Path

import libcst as cst
import pytest
from libcst._nodes.base import CSTCodegenError
from libcst.metadata import MetadataWrapper, PositionProvider

import keras
from fixorder.analysis.source_map import SourceMap

TESTDATA = Path(__file__).resolve().parent.parent / "testdata"
KERAS = Path(keras.__file__).resolve().parent
# Real code nobody here wrote: odd layouts, decorators, comprehensions, f-strings, CRLF-free.
SAMPLES = sorted(TESTDATA.rglob("*.py")) + sorted((KERAS / "src" / "layers" / "preprocessing").rglob("*.py"))[:12]
ODD = [
    "x = 1",  # no trailing newline
    "",
    "\n\n# only a comment\n",
    "if a:\r\n    b = (1,\r\n         2)\r\nelse:\r\n\tc = f'{a!r:>{w}}'\r\n",
    "@d\nclass C(B, metaclass=M):\n    def f(self, *a, k=1, **kw) -> int: return [i for i in a if i]\n",
    "y = lambda q: q  \\\n    + 1\n",
]


def _cases() -> list:
    return ([pytest.param(path.read_text(encoding="utf-8"), id=str(path.name)) for path in SAMPLES]
            + [pytest.param(text, id=f"odd{i}") for i, text in enumerate(ODD)])


@pytest.mark.parametrize("source", _cases())
def test_positions_equal_position_provider(source):
    module = cst.parse_module(source)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    source_map = SourceMap(module, source)
    assert expected, "PositionProvider found nodes"
    mismatched = [(type(n).__name__, r, source_map[n]) for n, r in expected.items() if source_map[n] != r]
    assert mismatched == []


@pytest.mark.parametrize("source", _cases())
def test_parents_and_text_equal_libcst(source):
    module = cst.parse_module(source)
    source_map = SourceMap(module, source)
    seen = 0

    class Check(cst.CSTVisitor):
        def __init__(self):
            self.stack = []

        def on_visit(self, node):
            nonlocal seen
            assert source_map.parent(node) is (self.stack[-1] if self.stack else None)
            try:
                expected = module.code_for_node(node)
            except CSTCodegenError:  # e.g. an Annotation needs its parent's indicator
                expected = None
            if expected is not None:
                assert source_map.code_for(node) == expected
            seen += 1
            self.stack.append(node)
            return True

        def on_leave(self, node):
            self.stack.pop()

    module.visit(Check())
    assert seen >= 1


@pytest.mark.parametrize("source", _cases())
def test_names_cover_every_identifier_token(source):
    module = cst.parse_module(source)
    tokens = {t.string for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type == tokenize.NAME}
    keywords = {"if", "else", "class", "def", "return", "for", "in", "lambda", "import", "from", "as", "None",
                "True", "False", "not", "and", "or", "is", "with", "try", "except", "finally", "raise", "pass",
                "while", "elif", "yield", "del", "global", "nonlocal", "assert", "break", "continue", "async",
                "await"}
    assert tokens - keywords <= SourceMap(module, source).names()


def test_a_node_it_never_saw_is_generated_not_cut():
    module = cst.parse_module("f(a, b)\n")
    new_call = cst.parse_expression("g(c)")
    assert SourceMap(module).code_for(new_call) == "g(c)"
    with pytest.raises(KeyError):
        SourceMap(module)[new_call]
