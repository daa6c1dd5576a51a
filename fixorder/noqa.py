"""``--add-noqa``: silence every current finding with a ``# noqa: CODE`` comment on its line.

A comment cannot change what a program does, so the file's syntax tree must stay the same;
a file where it would not (the reported line ends inside a multi-line string) is left alone
with a reason.  Notebooks are left alone too: their cells' lines are not lines of the file.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from fixorder.inputs.files import SourceError, read_source, write_source
from fixorder.findings import Finding
from fixorder.rules import ENGINE_CODES

_EXISTING = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*))?", re.IGNORECASE)


def add_noqa(path: Path, findings: list[Finding]) -> tuple[int, str | None]:
    """(directives added, None) or (0, the reason the file was left alone)."""
    by_line: dict[int, set[str]] = {}
    for f in findings:
        if f.code not in ENGINE_CODES and f.cell is None:
            by_line.setdefault(f.line, set()).add(f.code)
    if not by_line:
        return 0, None
    try:
        source = read_source(path)
    except SourceError as exc:
        return 0, str(exc)
    lines = source.text.splitlines(keepends=True)
    added = 0
    for number, codes in sorted(by_line.items()):
        if not 0 < number <= len(lines):
            continue
        line = lines[number - 1]
        body = line.rstrip("\r\n")
        ending = line[len(body):]
        existing = _EXISTING.search(body)
        if existing and existing.group("codes") is None:
            continue  # a bare `# noqa` already silences every code
        if existing:
            merged = sorted({c.strip().upper() for c in existing.group("codes").split(",")} | codes)
            body = body[:existing.start()] + "# noqa: " + ", ".join(merged) + body[existing.end():]
        else:
            body = body + "  # noqa: " + ", ".join(sorted(codes))
        lines[number - 1] = body + ending
        added += 1
    text = "".join(lines)
    try:
        same = ast.dump(ast.parse(text)) == ast.dump(ast.parse(source.text))
    except SyntaxError:
        same = False
    if not same:
        return 0, "a noqa comment would land inside a string; add it by hand"
    write_source(source, text)
    return added, None
