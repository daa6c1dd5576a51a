"""Decide, before libcst parses a file, whether it can have a finding at all.

Two stages, cheapest first:
1. ``may_have_findings(raw)``: the raw bytes contain ``applications`` (0-2 % of files in
   general code pass);
2. ``names_may_have_findings(text)``: CPython's own parser (``ast``, in C, no libcst import)
   finds ``applications`` as an identifier, not only in a docstring or a comment.

Why the test is sound: every rule reports on a pipeline that reaches a backbone, and the
interpreter recognises a backbone (and a family's ``preprocess_input``) only through a
qualified name that ``analysis.names.canonical`` maps to ``applications.<...>``.  A qualified
name is built by joining identifiers written in the file (imports, attribute chains: the
interpreter creates a ``Ref`` nowhere else), and an identifier cannot be split across lines or
built from a string, so a file without ``applications`` as an identifier cannot name a
backbone and cannot have a finding.  An extension of the interpreter that resolved names
from strings (``getattr``, ``importlib``) would have to widen these tests.
``tests/test_prefilter.py`` checks this against the catalogue and the testdata.

The test runs on raw bytes, which equals the test on the decoded text for every
ASCII-compatible encoding (UTF-8, Latin-1, cp1252...).  A file that declares another
encoding (PEP 263) is decoded first.  A notebook is tested on its raw JSON: JSON may spell
letters as ``\\u0061`` escapes, so a notebook with a letter escape is decoded and its
code cells tested instead.
"""

from __future__ import annotations

import ast
import codecs
import json
import re

# The one identifier every backbone reference goes through (see the module docstring).
REQUIRED_NAME = "applications"
_REQUIRED_BYTES = REQUIRED_NAME.encode("ascii")

# A JSON \u escape of an ASCII letter: the only way a notebook's JSON can hide the name.
_JSON_LETTER_ESCAPE = re.compile(rb"\\u00[46][1-9a-fA-F]|\\u00[57][0-9aA]")


def may_have_findings(raw: bytes, encoding: str = "utf-8", notebook: bool = False) -> bool:
    """False only when the file provably cannot have a finding (no parsing needed)."""
    if _REQUIRED_BYTES in raw:
        return True
    if notebook:
        return _notebook_may_have_findings(raw)
    if ascii_compatible(encoding):
        return False
    try:
        return REQUIRED_NAME in raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return True  # the reader reports the decoding error; never hide a file it cannot judge


def text_may_have_findings(text: str) -> bool:
    """The first stage on already decoded source text (stdin, a notebook's joined cells)."""
    return REQUIRED_NAME in text


def names_may_have_findings(text: str) -> bool:
    """Second stage: False only when the file parses and no identifier is ``applications``.

    CPython's parser normalises identifiers (NFKC) and libcst does not, so this can only let
    more files through than the analysis needs, never fewer.  A file CPython cannot parse
    (newer syntax, a syntax error) goes on to libcst, which reports it.

    Only the parts of the tree on lines where the word is written are visited (walking a
    whole large module in Python costs more than parsing it).  That misses no identifier the
    analysis could use: libcst sees identifiers as written, so one it would match has the
    word on its line, and every node's lines hold its children's, except a decorated
    definition's (its decorators come first) and, before Python 3.12, parts of f-strings,
    whose subtrees are visited whole.
    """
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True
    lines = _lines_with_name(text)
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.JoinedStr):
            if any(_is_required_identifier(inner) for inner in ast.walk(node)):
                return True
            continue
        if _is_required_identifier(node):
            return True
        start = getattr(node, "lineno", None)
        end = getattr(node, "end_lineno", None)
        if start is not None and end is not None:
            for decorator in getattr(node, "decorator_list", ()):
                start = min(start, decorator.lineno)
            if not any(start <= line <= end for line in lines):
                continue
        stack.extend(ast.iter_child_nodes(node))
    return False


def _lines_with_name(text: str) -> list[int]:
    """The 1-based lines on which the word occurs, numbered as CPython's parser numbers them
    (``\\r\\n``, ``\\r`` and ``\\n`` end a line; form feeds and Unicode separators do not)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines: list[int] = []
    line, counted = 1, 0
    index = text.find(REQUIRED_NAME)
    while index >= 0:
        line += text.count("\n", counted, index)
        counted = index
        if not lines or lines[-1] != line:
            lines.append(line)
        index = text.find(REQUIRED_NAME, index + len(REQUIRED_NAME))
    return lines


def _is_required_identifier(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr == REQUIRED_NAME
    if isinstance(node, ast.Name):
        return node.id == REQUIRED_NAME
    if isinstance(node, ast.alias):
        return REQUIRED_NAME in node.name.split(".")
    if isinstance(node, ast.ImportFrom):
        return bool(node.module) and REQUIRED_NAME in node.module.split(".")
    return False


def _notebook_may_have_findings(raw: bytes) -> bool:
    if not _JSON_LETTER_ESCAPE.search(raw):
        return False
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return True  # not valid JSON: let the notebook reader report it
    cells = document.get("cells", []) if isinstance(document, dict) else []
    for cell in cells:
        source = cell.get("source", "") if isinstance(cell, dict) else ""
        text = "".join(source) if isinstance(source, list) else str(source)
        if REQUIRED_NAME in text:
            return True
    return False


def ascii_compatible(encoding: str) -> bool:
    """True for the encodings where a byte search equals a text search (nearly every file).

    Any other declared encoding is decoded: some spell ASCII letters differently (EBCDIC) or
    can spell them in more than one way (UTF-7, the ISO-2022 family), and they are rare.
    """
    try:
        return codecs.lookup(encoding).name in _ASCII_COMPATIBLE
    except LookupError:
        return False


_ASCII_COMPATIBLE = frozenset({"utf-8", "utf-8-sig", "ascii", "iso8859-1", "iso8859-15", "cp1252"})
