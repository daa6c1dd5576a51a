"""``--statistics`` (findings counted per rule) and ``--show-fixes`` (what --fix changed)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict

from fixorder.findings import SAFE, UNSAFE, Finding


def _fixable(f: Finding) -> str:
    if f.applicable_fix == SAFE:
        return "[*]"
    if f.applicable_fix == UNSAFE:
        return "[-]"
    return "   "


def statistics(findings: list[Finding], as_json: bool = False) -> str:
    """One row per rule: count, code, whether it is fixable, name; most frequent first."""
    counts = Counter(f.code for f in findings)
    names = {f.code: f.name for f in findings}
    marks = {}
    for f in findings:
        mark = _fixable(f)
        # A rule is shown as fixable when any of its findings is (safe wins over unsafe).
        if marks.get(f.code, "   ") == "   " or mark == "[*]":
            marks[f.code] = mark
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if as_json:
        return json.dumps([{"code": code, "name": names[code], "count": count,
                            "fixable": marks[code] != "   "} for code, count in rows], indent=2) + "\n"
    width = max((len(str(count)) for _, count in rows), default=1)
    return "".join(f"{count:>{width}}\t{code}\t{marks[code]} {names[code]}\n" for code, count in rows)


def show_fixes(fixed: list[Finding]) -> str:
    """Per file, how many findings of each rule ``--fix`` fixed."""
    if not fixed:
        return "No findings fixed.\n"
    per_file: dict[str, Counter] = defaultdict(Counter)
    for f in fixed:
        per_file[f.path][(f.code, f.name)] += 1
    out = [f"Fixed {len(fixed)} finding{'s' if len(fixed) != 1 else ''}:\n"]
    for path in sorted(per_file):
        out.append(f"- {path}:\n")
        for (code, name), count in sorted(per_file[path].items()):
            out.append(f"    {count} x {code} ({name})\n")
    return "".join(out)
