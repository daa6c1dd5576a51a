"""Wrap the lines a fix made too long, the way the surrounding code wraps its brackets.

A fix inserts or renames code inside a line (``base(x)`` becomes ``base(preprocess_input(x))``,
a ``Normalization(mean=..., variance=...)`` layer joins a list), so a line that fitted may no
longer fit.  The limit is the file's own: its longest line, or 88 when all its lines are
shorter (so a line the user wrote is never wrapped).  Each over-long line gets line breaks
inside one bracket at a time, only where it was written on one line, until it fits:

* In code that continues bracket contents after the opening bracket and aligns the rest under
  the first item (``ImageDataGenerator(rescale=1 / 255,`` / ``...horizontal_flip=True)``), the
  items are filled onto aligned lines.
* Otherwise (and when aligning cannot fit) with a hanging indent, as black does: the contents
  on one indented line if they fit, else one item per line; the closing bracket on a line of
  its own followed by a trailing comma, unless the file closes its hanging brackets at the end
  of the last item.

Only whitespace between tokens changes (and a trailing comma, or parentheses around the names
of a ``from`` import); the result is checked to parse to the same code without whitespace.
"""

from __future__ import annotations

import io
import re
import tokenize
from bisect import bisect_right
from dataclasses import dataclass

import libcst as cst

from fixorder.analysis.source_map import SourceMap

DEFAULT_LINE_LENGTH = 88
_SEPARATOR = re.compile(r"[ \t]*,[ \t]*")
_MAX_STEPS = 200


def line_limit(original: str) -> int:
    """The longest line a fix may write in a file whose text was ``original``."""
    return max([DEFAULT_LINE_LENGTH, *(len(line) for line in original.splitlines())])


def too_long(text: str, limit: int) -> bool:
    return any(len(line) > limit for line in text.splitlines())


@dataclass
class _Bracket:
    """One bracketed list of items in the text: offsets of its brackets and of each item."""

    node: cst.CSTNode
    open: int  # offset of the opening bracket; for a ``from`` import without one, of its first name
    close: int  # offset of the closing bracket; without one, the end of the last name
    items: list[tuple[int, int]]  # (start, end) of each item, its comma excluded
    virtual: bool = False  # ``from m import a, b``: parentheses must be added to break the line
    trailing_comma_ok: bool = True

    @property
    def first_start(self) -> int:
        return self.items[0][0]

    @property
    def last_end(self) -> int:
        return self.items[-1][1]


@dataclass
class _Style:
    hanging: bool = True  # contents start on the line after the opening bracket
    close_own_line: bool = True  # the closing bracket of a hanging list starts its own line


def _item_end(item: cst.CSTNode, spans: SourceMap) -> int:
    comma = getattr(item, "comma", None)
    if isinstance(comma, cst.Comma):
        return spans.span(comma)[0]
    if isinstance(item, cst.ImportAlias):
        last = item.asname if item.asname is not None else item.name
    else:
        last = item.value
    return spans.span(last)[1]


def _brackets(module: cst.Module, spans: SourceMap, text: str) -> list[_Bracket]:
    found = []
    for node in spans.nodes_of(cst.CSTNode):
        try:
            bracket = _bracket(node, spans, text)
        except (KeyError, ValueError):
            bracket = None
        if bracket is not None:
            found.append(bracket)
    return found


def _bracket(node: cst.CSTNode, spans: SourceMap, text: str) -> _Bracket | None:
    if isinstance(node, cst.Call) and node.args:
        items = [(spans.span(a)[0], _item_end(a, spans)) for a in node.args]
        open_at = text.index("(", spans.span(node.func)[1])
        close_at = text.index(")", spans.span(node.args[-1])[1])
        lone_generator = len(node.args) == 1 and isinstance(node.args[0].value, cst.GeneratorExp) \
            and not node.args[0].value.lpar
        return _Bracket(node, open_at, close_at, items, trailing_comma_ok=not lone_generator)
    if isinstance(node, (cst.List, cst.Set, cst.Dict)) and node.elements:
        opening = node.lbracket if isinstance(node, cst.List) else node.lbrace
        closing = node.rbracket if isinstance(node, cst.List) else node.rbrace
        items = [(spans.span(e)[0], _item_end(e, spans)) for e in node.elements]
        return _Bracket(node, spans.span(opening)[0], spans.span(closing)[1] - 1, items)
    if isinstance(node, cst.Tuple) and node.elements and node.lpar:
        items = [(spans.span(e)[0], _item_end(e, spans)) for e in node.elements]
        return _Bracket(node, spans.span(node.lpar[-1])[0], spans.span(node.rpar[0])[1] - 1, items)
    if isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
        items = [(spans.span(a)[0], _item_end(a, spans)) for a in node.names]
        if node.lpar is not None:
            return _Bracket(node, spans.span(node.lpar)[0], spans.span(node.rpar)[1] - 1, items)
        return _Bracket(node, items[0][0], items[-1][1], items, virtual=True)
    return None


class _Lines:
    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def line(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def column(self, offset: int) -> int:
        return offset - self.starts[self.line(offset)]

    def content(self, index: int) -> str:
        end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[index]:end].rstrip("\r")  # a CRLF file's lines

    def indent(self, index: int) -> str:
        line = self.content(index)
        return line[:len(line) - len(line.lstrip(" \t"))]


def _first_item_on_open_line(b: _Bracket, lines: _Lines) -> bool:
    return b.virtual or lines.line(b.open) == lines.line(b.first_start)


def _multi_line(b: _Bracket, lines: _Lines) -> bool:
    return lines.line(b.open) != lines.line(b.close)


def _hugs(b: _Bracket, by_node: dict[int, _Bracket], lines: _Lines) -> bool:
    """``Sequential([`` ... ``])``: a lone bracketed item right after the bracket sets no style."""
    if len(b.items) != 1 or not isinstance(b.node, cst.Call):
        return False
    inner = by_node.get(id(b.node.args[0].value))
    return inner is not None and isinstance(inner.node, (cst.List, cst.Tuple, cst.Dict, cst.Set)) \
        and lines.line(inner.open) == lines.line(b.open)


def _own_style(b: _Bracket, lines: _Lines) -> _Style:
    closes_alone = lines.content(lines.line(b.close))[:lines.column(b.close)].strip() == ""
    return _Style(hanging=not _first_item_on_open_line(b, lines), close_own_line=closes_alone)


def _file_style(brackets: list[_Bracket], by_node: dict, lines: _Lines) -> _Style:
    votes = [_own_style(b, lines) for b in brackets
             if _multi_line(b, lines) and not b.virtual and not _hugs(b, by_node, lines)]
    hanging = [v for v in votes if v.hanging]
    visual = len(votes) - len(hanging)
    own_line = sum(v.close_own_line for v in hanging)
    # A file that aligns its brackets and hangs none closes a (last-resort) hanging one pep8's
    # way, after the last item; with no multi-line bracket at all, black's way.
    return _Style(hanging=len(hanging) >= visual,
                  close_own_line=own_line >= len(hanging) - own_line if hanging else not visual)


class _Wrapper:
    def __init__(self, text: str, limit: int, unit: str, file_style: _Style | None):
        self.text = text
        self.limit = limit
        self.unit = unit
        module = cst.parse_module(text)
        self.newline = module.default_newline
        self.spans = SourceMap(module, text)
        self.lines = _Lines(text)
        self.brackets = _brackets(module, self.spans, text)
        self.by_node = {id(b.node): b for b in self.brackets}
        self.style = file_style or _file_style(self.brackets, self.by_node, self.lines)

    def _ambient(self, b: _Bracket) -> _Style:
        node = self.spans.parent(b.node)
        while node is not None:
            outer = self.by_node.get(id(node))
            if outer is not None and _multi_line(outer, self.lines) and not _hugs(outer, self.by_node, self.lines):
                return _own_style(outer, self.lines)
            node = self.spans.parent(node)
        return self.style

    def _separators_on(self, b: _Bracket, line: int) -> list[int]:
        """Indexes i such that items i and i + 1 are on ``line``, parted by one comma."""
        out = []
        for i in range(len(b.items) - 1):
            end, start = b.items[i][1], b.items[i + 1][0]
            if self.lines.line(end) == line == self.lines.line(start) and _SEPARATOR.fullmatch(self.text[end:start]):
                out.append(i)
        return out

    def _can_open(self, b: _Bracket, line: int) -> bool:
        return (self.lines.line(b.open) == line and not _multi_line(b, self.lines)
                and self.text[b.open + (0 if b.virtual else 1):b.first_start].strip() == ""
                and (b.virtual or self.text[b.last_end:b.close].strip() in ("", ",")))

    def edits_for(self, line: int) -> list[tuple[int, int, str]] | None:
        """Edits that break ``line`` (too long) inside one bracket, or None when nothing can."""
        candidates = [b for b in self.brackets if self._can_open(b, line) or self._separators_on(b, line)]
        if not candidates:
            return None
        candidates.sort(key=lambda b: b.open)
        crossing = [b for b in candidates if self._crosses(b, line)] or candidates
        for b in crossing:
            multi = _multi_line(b, self.lines)
            style = _own_style(b, self.lines) if multi else self._ambient(b)
            if not style.hanging or multi or not self.style.hanging:  # an aligning file aligns where it can
                edits = self._fill(b, line, style if multi else _Style(hanging=False))
                if edits:
                    return edits
                if self._can_open(b, line) and not _hugs(b, self.by_node, self.lines):
                    break  # aligning deeper inside would leave a ragged right edge: hang this one
                continue
            if self._can_open(b, line):
                return self._hang(b, style)
        for b in crossing:
            if self._can_open(b, line):
                return self._hang(b, self._ambient(b))
        return None

    def rehang(self, line: int) -> list[tuple[int, int, str]] | None:
        """The last resort for a continuation line with nothing to break (one long aligned
        argument): the innermost aligned bracket around it hangs its lines instead, each line's
        items kept together."""
        around = [b for b in self.brackets if _multi_line(b, self.lines) and not b.virtual
                  and self.lines.line(b.open) < line <= self.lines.line(b.close)
                  and _first_item_on_open_line(b, self.lines)]
        for b in sorted(around, key=lambda b: -b.open):
            separators = [self.text[b.items[i][1]:b.items[i + 1][0]] for i in range(len(b.items) - 1)]
            if any("#" in sep or sep.count(",") != 1 for sep in separators) or "#" in self.text[b.last_end:b.close]:
                continue
            if any(self.lines.line(s) != self.lines.line(e) for s, e in b.items):
                continue
            inner = self.lines.indent(self.lines.line(b.open)) + self.unit
            if any(len(inner) + e - s + 1 > self.limit for s, e in b.items):
                continue
            edits = [(b.open + 1, b.first_start, self.newline + inner)]
            for i, sep in enumerate(separators):
                if "\n" in sep:
                    edits.append((b.items[i][1], b.items[i + 1][0], "," + self.newline + inner))
            return edits
        return None

    def _crosses(self, b: _Bracket, line: int) -> bool:
        start = self.lines.column(b.open) if self.lines.line(b.open) == line else 0
        end = self.lines.column(b.close) if self.lines.line(b.close) == line else len(self.lines.content(line))
        return start < self.limit <= end

    def _fill(self, b: _Bracket, line: int, style: _Style) -> list[tuple[int, int, str]] | None:
        """Break between the items on ``line`` where the next one would pass the limit, aligned
        under the first item (or at the line's indentation in a hanging list); None when an item
        cannot fit that way."""
        separators = self._separators_on(b, line)
        if not separators:
            return None
        lines = self.lines
        shift = 1 if b.virtual else 0  # the "(" added before the first name
        align = len(lines.indent(line)) if style.hanging else lines.column(b.first_start) + shift
        line_end = lines.starts[line] + len(lines.content(line))
        position = lines.column(b.items[separators[0]][1]) + shift
        if position + 1 > self.limit:
            return None
        edits = []
        for i in separators:
            start, end = b.items[i + 1]
            if lines.line(end) != line:  # an item that goes on over the next lines
                end = line_end
            tail = 1 if i + 1 in separators else line_end - end + shift  # its comma, or the rest of the line
            gap = start - b.items[i][1]
            if position + gap + (end - start) + tail > self.limit:
                if align + (end - start) + tail > self.limit:
                    return None
                edits.append((b.items[i][1], start, "," + self.newline + " " * align))
                position = align + (end - start)
            else:
                position += gap + (end - start)
        if not edits:
            return None
        if b.virtual:
            edits.insert(0, (b.open, b.open, "("))
            edits.append((b.close, b.close, ")"))
        return edits

    def _hang(self, b: _Bracket, style: _Style) -> list[tuple[int, int, str]]:
        text, lines = self.text, self.lines
        if _hugs(b, self.by_node, lines):  # Sequential([...]): the list hangs, the call hugs it
            inner = self.by_node[id(b.node.args[0].value)]
            if self._can_open(inner, lines.line(b.open)):
                b = inner
        outer = lines.indent(lines.line(b.open))
        inner = outer + self.unit
        items = [text[s:e] for s, e in b.items]
        keep_comma = isinstance(b.node, cst.Tuple) and len(b.items) == 1
        one_line = inner + ", ".join(items) + ("," if keep_comma else "")
        # black's habits: an import's names go one per line; exploded items end with a comma.
        is_import = isinstance(b.node, cst.ImportFrom)
        one_per_line = len(items) > 1 and (len(one_line) > self.limit or is_import)
        trailing = keep_comma or ((one_per_line or is_import) and style.close_own_line and b.trailing_comma_ok)
        open_from = b.open if b.virtual else b.open + 1
        edits = [(open_from, b.first_start, ("(" if b.virtual else "") + self.newline + inner)]
        for i in range(len(b.items) - 1):
            edits.append((b.items[i][1], b.items[i + 1][0], "," + self.newline + inner if one_per_line else ", "))
        closing = ("," if trailing else "") + (self.newline + outer if style.close_own_line else "")
        edits.append((b.last_end, b.close, closing + (")" if b.virtual else "")))
        return edits


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    out, cursor = [], 0
    for start, end, replacement in sorted(edits):
        out.append(text[cursor:start])
        out.append(replacement)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def _tokens(text: str) -> list[str]:
    """The module's code without layout, to check that wrapping changed nothing else."""
    skip = {tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT, tokenize.ENDMARKER}
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type not in skip:
            out.append(tok.string)
    return out


def wrap_long_lines(text: str, limit: int) -> str:
    """``text`` with its lines longer than ``limit`` wrapped inside their brackets where possible."""
    if not too_long(text, limit):
        return text
    try:
        original_tokens = [t for t in _tokens(text) if t not in ",()"]
        current = text
        style = None
        module = cst.parse_module(text)
        if module.default_newline == "\r":
            return text  # lines counted on "\n" only: an old-Mac file is left unwrapped
        unit = module.default_indent
        line = 0
        for _ in range(_MAX_STEPS):
            wrapper = _Wrapper(current, limit, unit, style)
            style = wrapper.style  # decided once, from the text before any wrapping
            edits = None
            count = len(wrapper.lines.starts)
            while line < count:
                if len(wrapper.lines.content(line)) > limit:
                    edits = wrapper.edits_for(line) or wrapper.rehang(line)
                    if edits:
                        break
                line += 1
            if not edits:
                break
            current = _apply(current, edits)
        if [t for t in _tokens(current) if t not in ",()"] != original_tokens:
            return text
        return current
    except (cst.ParserSyntaxError, SyntaxError, tokenize.TokenError, ValueError, KeyError, RecursionError):
        return text  # wrapping is a courtesy: the fix stands unwrapped
