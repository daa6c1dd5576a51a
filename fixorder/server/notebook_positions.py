"""Where each line of each cell's source sits in a notebook's JSON text.

An editor shows an .ipynb opened as a text file as its JSON, so a finding at "cell 5, line 3"
must point at the JSON string that holds that line.  Notebooks store a cell's source as a
list of strings, one per line (nbformat writes it so), or as one string; the JSON is scanned
once and the position of every such string is kept.
"""

from __future__ import annotations

import json
from json.decoder import scanstring

_WHITESPACE = " \t\r\n"
_SCALAR = json.JSONDecoder()


class _Scanner:
    def __init__(self, text: str):
        self.text = text
        # (cell index, line in cell) -> offset of the string's opening quote; one-string sources
        # are recorded with line -1 and split later.
        self.sources: dict[tuple[int, int], int] = {}

    def skip(self, i: int) -> int:
        while i < len(self.text) and self.text[i] in _WHITESPACE:
            i += 1
        return i

    def value(self, i: int, path: tuple) -> int:
        i = self.skip(i)
        ch = self.text[i]
        if ch == "{":
            return self.container(i + 1, path, "}")
        if ch == "[":
            return self.container(i + 1, path, "]")
        if ch == '"':
            if len(path) == 4 and path[0] == "cells" and path[2] == "source":
                self.sources[(path[1], path[3])] = i
            elif len(path) == 3 and path[0] == "cells" and path[2] == "source":
                self.sources[(path[1], -1)] = i
            return scanstring(self.text, i + 1)[1]
        _, end = _SCALAR.raw_decode(self.text, i)
        return end

    def container(self, i: int, path: tuple, close: str) -> int:
        index = 0
        i = self.skip(i)
        if self.text[i] == close:
            return i + 1
        while True:
            if close == "}":
                key, i = scanstring(self.text, self.skip(i) + 1)
                i = self.skip(i) + 1  # the colon
                i = self.value(i, (*path, key))
            else:
                i = self.value(i, (*path, index))
            index += 1
            i = self.skip(i)
            if self.text[i] == close:
                return i + 1
            i += 1  # the comma


def _line_and_character(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1)


def source_positions(text: str) -> dict[tuple[int, int], tuple[int, int]]:
    """(0-based cell index, 0-based line in the cell) -> 0-based (line, character) in ``text``.

    The character is that of the first character inside the JSON string.  Empty for text that
    is not JSON.
    """
    scanner = _Scanner(text)
    try:
        scanner.value(0, ())
    except (ValueError, IndexError):
        return {}
    out: dict[tuple[int, int], tuple[int, int]] = {}
    for (cell, line), offset in scanner.sources.items():
        line_number, character = _line_and_character(text, offset + 1)
        out[(cell, max(line, 0))] = (line_number, character)
    return out
