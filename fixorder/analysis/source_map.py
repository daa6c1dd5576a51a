"""Where each node of a parsed module sits in its text, and which node contains it.

libcst's ``PositionProvider`` answers the same question but turns every token into line and
column numbers while it regenerates the module, which costs three times the parse on a
training script.  Here one code-generation pass only counts characters: it records each
node's character span (with and without the whitespace it owns) and its parent, and a span
becomes a line and column only when somebody asks.  The ranges are the ones
``PositionProvider`` gives (tests/test_source_map.py compares them on every testdata file).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from contextlib import contextmanager
from dataclasses import dataclass, field

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst.metadata import CodePosition, CodeRange

_NEWLINE = re.compile(r"\r\n?|\n")
_INDENTED = (cst.BaseCompoundStatement, cst.SimpleStatementLine, cst.BaseSuite, cst.EmptyLine, cst.Module)


@dataclass
class _Recorder(CodegenState):
    """A code generator that counts characters instead of keeping tokens."""

    offset: int = 0
    owned: dict = field(default_factory=dict)  # node -> (start, end), whitespace included
    syntactic: dict = field(default_factory=dict)  # node -> (start, end), as PositionProvider
    parents: dict = field(default_factory=dict)  # id(node) -> parent node
    nodes: list = field(default_factory=list)  # every node, in source order (pre-order)
    stack: list = field(default_factory=list)  # (node, start) of the nodes being generated

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.add_token(token)

    def add_token(self, value: str) -> None:
        if not self.tokens:  # Module asks whether anything was generated: remember the first
            self.tokens.append(value)
        self.offset += len(value)

    def pop_trailing_newline(self) -> None:
        # Only the module's own end moves; libcst's positions ignore this too.
        pass

    def before_codegen(self, node: cst.CSTNode) -> None:
        if self.stack:
            self.parents[id(node)] = self.stack[-1][0]
        self.nodes.append(node)
        self.stack.append((node, self.offset))

    def after_codegen(self, node: cst.CSTNode) -> None:
        _, start = self.stack.pop()
        self.owned[node] = (start, self.offset)

    def _span(self, node: cst.CSTNode) -> tuple[int, int]:
        span = self.syntactic.get(node)
        return span if span is not None else self.owned[node]

    @contextmanager
    def record_syntactic_position(self, node, *, start_node=None, end_node=None):
        start = self.offset
        try:
            yield
        finally:
            end = self.offset
            if start_node is not None:
                start = self._span(start_node)[0]
            if end_node is not None:
                end = self._span(end_node)[1]
            self.syntactic[node] = (start, end)


class SourceMap:
    """Positions and parents of every node of ``module``, computed on first use.

    ``source`` must be the text ``module`` was parsed from (it is what the module renders to).
    """

    def __init__(self, module: cst.Module, source: str | None = None):
        self._module = module
        self._source = source
        self._recorder: _Recorder | None = None
        self._line_starts: list[int] | None = None
        self._names: frozenset[str] | None = None

    @property
    def _recorded(self) -> _Recorder:
        if self._recorder is None:
            recorder = _Recorder(default_indent=self._module.default_indent,
                                 default_newline=self._module.default_newline)
            self._module._codegen(recorder)
            self._recorder = recorder
        return self._recorder

    @property
    def source(self) -> str:
        if self._source is None:
            self._source = self._module.code
        return self._source

    def _position(self, offset: int) -> CodePosition:
        if self._line_starts is None:
            text = self.source
            if not self._module.has_trailing_newline:  # generated, then dropped: it still counts
                text += self._module.default_newline
            self._line_starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        index = bisect_right(self._line_starts, offset) - 1
        return CodePosition(index + 1, offset - self._line_starts[index])

    def __getitem__(self, node: cst.CSTNode) -> CodeRange:
        """The node's range as ``PositionProvider`` gives it (KeyError for a foreign node)."""
        start, end = self._recorded._span(node)
        return CodeRange(self._position(start), self._position(end))

    def __contains__(self, node: cst.CSTNode) -> bool:
        recorded = self._recorded
        return node in recorded.syntactic or node in recorded.owned

    def span(self, node: cst.CSTNode) -> tuple[int, int]:
        """Character offsets of the node's text including the whitespace it owns."""
        return self._recorded.owned[node]

    def code_for(self, node: cst.CSTNode) -> str:
        """``module.code_for_node(node)``, cut out of the source instead of generated.

        Only one-line text is cut: a node spanning lines may carry its block's indentation,
        which ``code_for_node`` (generating the node alone) leaves out.
        """
        span = None if isinstance(node, _INDENTED) else self._recorded.owned.get(node)
        if span is not None and span[1] <= len(self.source):
            text = self.source[span[0]:span[1]]
            if "\n" not in text and "\r" not in text:
                return text
        return self._module.code_for_node(node)

    def nodes_of(self, kind: type) -> list:
        """Every node of this type, in source order."""
        return [n for n in self._recorded.nodes if isinstance(n, kind)]

    def names(self) -> frozenset[str]:
        """Every identifier the module spells (attribute names too); one scan, shared by the rules."""
        if self._names is None:
            self._names = frozenset(n.value for n in self._recorded.nodes if type(n) is cst.Name)
        return self._names

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self._recorded.parents.get(id(node))

    def parents(self) -> dict[int, cst.CSTNode]:
        return self._recorded.parents
