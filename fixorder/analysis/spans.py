"""Where a node of CPython's ``ast`` tree sits in libcst's terms, and the libcst node there.

The analysis is moving to the ``ast`` tree (issue 18) while fixes keep acting on libcst's
lossless tree, parsed only when an edit is needed.  The bridge is the source text: an ast
node's span, turned into character offsets, is the span ``SourceMap`` records for the libcst
node of the same construct.  Two differences are converted here:

* ``col_offset`` counts UTF-8 bytes, libcst (and every report) counts characters;
* a few constructs are spelt differently (``AST_TO_CST``): a keyword argument is an ``Arg``,
  an alias an ``ImportAlias`` (``*`` an ``ImportStar``), and a parenthesised tuple's ast span
  includes its parentheses, which libcst's position leaves out (the tuple's own text, its
  parentheses included, is looked up instead).

Two kinds of ast node have no libcst node and are not located (``locatable``): the literal
parts of an f-string (before Python 3.12 each ``Constant`` carries the whole f-string's span)
and the tuple of a subscript's indices (``x[:, :, 0]``: libcst keeps a list of elements).

tests/test_spans.py checks, on every fixture and the position-sensitive variants of the
substrate oracle (non-ASCII names, CRLF, tabs, decorators, f-strings), that every ast node
of the kinds below finds its libcst node.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_right

import libcst as cst

from fixorder.analysis.source_map import SourceMap

_NEWLINE = re.compile(r"\r\n?|\n")

# The libcst node types an ast node of each type is, at the same span.
AST_TO_CST: dict[type, tuple[type, ...]] = {
    ast.Call: (cst.Call,),
    ast.Name: (cst.Name,),
    ast.Attribute: (cst.Attribute,),
    ast.Subscript: (cst.Subscript,),
    ast.BinOp: (cst.BinaryOperation,),
    ast.BoolOp: (cst.BooleanOperation,),
    ast.Compare: (cst.Comparison,),
    ast.UnaryOp: (cst.UnaryOperation,),
    ast.IfExp: (cst.IfExp,),
    ast.Lambda: (cst.Lambda,),
    ast.Tuple: (cst.Tuple,),
    ast.List: (cst.List,),
    ast.Set: (cst.Set,),
    ast.Dict: (cst.Dict,),
    ast.ListComp: (cst.ListComp,),
    ast.SetComp: (cst.SetComp,),
    ast.DictComp: (cst.DictComp,),
    ast.GeneratorExp: (cst.GeneratorExp,),
    ast.Yield: (cst.Yield,),
    ast.YieldFrom: (cst.Yield,),
    ast.Await: (cst.Await,),
    ast.NamedExpr: (cst.NamedExpr,),
    ast.JoinedStr: (cst.FormattedString, cst.ConcatenatedString),
    ast.Constant: (cst.SimpleString, cst.ConcatenatedString, cst.Integer, cst.Float, cst.Imaginary, cst.Name,
                   cst.Ellipsis),
    ast.keyword: (cst.Arg,),
    ast.Starred: (cst.StarredElement, cst.Arg),
    ast.alias: (cst.ImportAlias, cst.ImportStar),
    ast.arg: (cst.Param,),
    ast.Assign: (cst.Assign,),
    ast.AugAssign: (cst.AugAssign,),
    ast.AnnAssign: (cst.AnnAssign,),
    ast.Expr: (cst.Expr,),
    ast.Return: (cst.Return,),
    ast.Import: (cst.Import,),
    ast.ImportFrom: (cst.ImportFrom,),
    ast.Raise: (cst.Raise,),
    ast.Assert: (cst.Assert,),
    ast.Delete: (cst.Del,),
    ast.Pass: (cst.Pass,),
    ast.Break: (cst.Break,),
    ast.Continue: (cst.Continue,),
    ast.Global: (cst.Global,),
    ast.Nonlocal: (cst.Nonlocal,),
    ast.FunctionDef: (cst.FunctionDef,),
    ast.AsyncFunctionDef: (cst.FunctionDef,),
    ast.ClassDef: (cst.ClassDef,),
    ast.If: (cst.If,),
    ast.For: (cst.For,),
    ast.AsyncFor: (cst.For,),
    ast.While: (cst.While,),
    ast.With: (cst.With,),
    ast.AsyncWith: (cst.With,),
    ast.Try: (cst.Try,),
}


def locatable(node: ast.AST, parent: ast.AST | None) -> bool:
    """Whether ``node`` (a child of ``parent``) has a libcst node to find."""
    if type(node) not in AST_TO_CST:
        return False
    if isinstance(parent, ast.JoinedStr) and isinstance(node, ast.Constant):
        return False
    return not (isinstance(parent, ast.Subscript) and isinstance(node, ast.Tuple) and node is parent.slice)


class AstOffsets:
    """Character offsets into ``source`` of positions and nodes of ``ast.parse(source)``."""

    def __init__(self, source: str):
        self.source = source
        self._line_starts = [0] + [m.end() for m in _NEWLINE.finditer(source)]
        self._ascii = source.isascii()
        self._encoded: dict[int, bytes] = {}  # line -> its UTF-8 bytes (non-ASCII sources only)

    def offset(self, line: int, byte_column: int) -> int:
        """The character offset of ``(lineno, col_offset)`` as ast gives them."""
        start = self._line_starts[line - 1]
        if self._ascii:
            return start + byte_column
        encoded = self._encoded.get(line)
        if encoded is None:
            end = self._line_starts[line] if line < len(self._line_starts) else len(self.source)
            encoded = self._encoded[line] = self.source[start:end].encode("utf-8", "surrogatepass")
        if encoded.isascii():
            return start + byte_column
        return start + len(encoded[:byte_column].decode("utf-8", "surrogatepass"))

    def span(self, node: ast.AST) -> tuple[int, int]:
        """``node``'s (start, end) character offsets: for a definition, from its ``def`` or
        ``class`` keyword (its decorators come before), as libcst's positions have it."""
        return (self.offset(node.lineno, node.col_offset), self.offset(node.end_lineno, node.end_col_offset))

    def line_column(self, offset: int) -> tuple[int, int]:
        """A character offset as (1-based line, 0-based column in characters)."""
        index = bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index]


# The libcst nodes ast has no node for, reached from one it has: what a fix acts on that is
# not itself an expression or statement of ast's (tests/test_spans.py finds every node the
# fixtures' fixes act on through ``node`` or one of these).
RELATIONS = ("node", "element", "line", "module")


class CstLocator:
    """The libcst node at a character span, by the spans ``SourceMap`` records."""

    def __init__(self, source_map: SourceMap):
        self._source_map = source_map
        self._by_span: dict[tuple[int, int], list[cst.CSTNode]] = {}
        self._tuples: dict[tuple[int, int], cst.Tuple] = {}  # by their text with parentheses
        recorded = source_map._recorded
        for node in recorded.nodes:
            span = recorded.syntactic.get(node) or recorded.owned[node]
            self._by_span.setdefault(span, []).append(node)
            if type(node) is cst.Tuple and node.lpar:
                self._tuples[_without_whitespace_after(node, recorded.owned[node], source_map.source)] = node

    def find(self, span: tuple[int, int], kinds: tuple[type, ...]) -> cst.CSTNode | None:
        """The outermost node of one of ``kinds`` at exactly ``span``, None when there is none."""
        for node in self._by_span.get(span, ()):
            if isinstance(node, kinds):
                return node
        return None

    def node_for(self, node: ast.AST, offsets: AstOffsets) -> cst.CSTNode | None:
        """The libcst node of the construct ``node`` is (see ``AST_TO_CST``)."""
        kinds = AST_TO_CST.get(type(node))
        if kinds is None:
            return None
        span = offsets.span(node)
        found = self.find(span, kinds)
        if found is None and type(node) is ast.Tuple:
            return self._tuples.get(span)
        return found

    def locate(self, node: ast.AST, offsets: AstOffsets, relation: str = "node") -> cst.CSTNode | None:
        """The libcst node a fix acts on, from the ast node the analysis holds (``RELATIONS``)."""
        found = self.node_for(node, offsets)
        if found is None or relation == "node":
            return found
        if relation == "element":  # the list or tuple element whose value ``node`` is
            parent = self._source_map.parent(found)
            return parent if isinstance(parent, cst.Element) else None
        if relation == "line":  # the statement line holding the small statement ``node``
            parent = self._source_map.parent(found)
            return parent if isinstance(parent, cst.SimpleStatementLine) else None
        if relation == "module":  # the dotted module name of ``from <module> import ...``
            return found.module if isinstance(found, cst.ImportFrom) else None
        raise ValueError(f"unknown relation {relation!r}")


def _without_whitespace_after(node: cst.Tuple, owned: tuple[int, int], source: str) -> tuple[int, int]:
    """The span of the tuple's text up to its last closing parenthesis."""
    start, end = owned
    while end > start and source[end - 1] != ")":
        end -= 1
    return start, end
