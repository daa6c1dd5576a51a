"""The one summary line a run ends with: what was checked, what was (or would be) fixed, what remains.

It describes the state the files are in after the run: after ``--diff`` nothing was written, so
it says what *would* be fixed; after ``--fix`` what was fixed and what remains.
"""

from __future__ import annotations

from dataclasses import dataclass

from fixorder.findings import SAFE, UNSAFE, Finding
from fixorder.rules import ENGINE_CODES


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@dataclass
class Tally:
    files: int  # files checked
    remaining: list[Finding]  # findings left in the files as they now are (or would be, for --diff)
    fixed: int = 0  # findings fixed (--fix) or that would be fixed (--diff)
    fixed_files: int = 0
    errors: int = 0
    generated: int = 0
    # Pretrained backbones found, and how many data followed from its source reaches: a silent
    # run on code fixorder could not follow is then told apart from a clean one.
    backbones: tuple[int, int] | None = None


def summary_line(tally: Tally, *, fix: bool, diff: bool, unsafe_fixes: bool) -> str:
    # A file that could not be read or parsed is counted once, as an error, not also as its FO001.
    tally.remaining = [f for f in tally.remaining if f.code not in ENGINE_CODES]
    applicable = sum(1 for f in tally.remaining if f.applicable_fix == SAFE
                     or (unsafe_fixes and f.applicable_fix == UNSAFE))
    hidden = 0 if unsafe_fixes else sum(1 for f in tally.remaining if f.applicable_fix == UNSAFE)
    head = [_n(tally.files, "file") + " checked"]
    if tally.errors:
        head.append(_n(tally.errors, "error"))
    if tally.generated:
        head.append(_n(tally.generated, "generated file") + " skipped")
    sentences = [", ".join(head)]
    if tally.backbones is not None:
        found, linked = tally.backbones
        sentences.append(f"{_n(found, 'pretrained backbone')} found, {linked} linked to data")
    count = len(tally.remaining)
    if diff:
        if tally.fixed:
            more = f" ({hidden} more with --unsafe-fixes)" if hidden else ""
            sentences.append(f"Would fix {_n(tally.fixed, 'finding')} in {_n(tally.fixed_files, 'file')}{more}")
            others = count - hidden
            if others:
                sentences.append(f"{_n(others, 'other finding')} would remain")
        elif count:
            sentences.append(_found(count, 0, hidden, "Nothing to fix; "))
    elif fix:
        if tally.fixed:
            sentences.append(f"Fixed {_n(tally.fixed, 'finding')} in {_n(tally.fixed_files, 'file')}")
        if count:
            remain = _n(count, "finding") + (" remains" if count == 1 else " remain")
            sentences.append(remain + (f" ({hidden} fixable with --unsafe-fixes)" if hidden else ""))
    elif count:
        sentences.append(_found(count, applicable, hidden, ""))
    line = "fixorder: " + ". ".join(sentences) + "."
    if not count and not tally.errors:
        line += " All checks passed!"
    return line


def _found(count: int, applicable: int, hidden: int, lead: str) -> str:
    notes = []
    if applicable:
        notes.append(f"{applicable} fixable with --fix")
    if hidden:
        notes.append(f"{hidden} {'more ' if applicable else ''}fixable with --unsafe-fixes")
    text = f"{lead}{_n(count, 'finding')}" if lead else f"Found {_n(count, 'finding')}"
    return text + (f" ({', '.join(notes)})" if notes else "")
