"""One source unit (a Python file, a notebook, or stdin) checked or fixed, nothing written yet."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fixorder.findings import Finding

if TYPE_CHECKING:
    from fixorder.engine import Options

# Generated code is regenerated, not edited: a marker near the top makes the file skipped.
_GENERATED = re.compile(r"@generated\b")
GENERATED_SCAN_CHARS = 2048


@dataclass
class UnitResult:
    """One file's (or stdin's) outcome, before anything is written."""

    findings: list[Finding] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)
    error: str | None = None
    warning: str | None = None
    shown_source: str = ""  # what reports quote lines from (a notebook's joined program)
    new_text: str | None = None  # the full new file text when fixing changed it
    diff: str = ""
    backbones: tuple[int, int] = (0, 0)  # pretrained backbones found, and linked to data


def is_generated(text: str) -> bool:
    return bool(_GENERATED.search(text[:GENERATED_SCAN_CHARS]))


# The first GENERATED_SCAN_CHARS characters take at most 4 bytes each in UTF-8 (plus a BOM),
# one in the other ASCII-compatible encodings, where the marker's bytes are its ASCII bytes.
_GENERATED_SCAN_BYTES = 4 * GENERATED_SCAN_CHARS + 3


def may_be_generated(raw: bytes, encoding: str) -> bool:
    """False only when ``is_generated`` is False for the decoded text: lets a run skip decoding."""
    from fixorder.prefilter import ascii_compatible

    return raw.find(b"@generated", 0, _GENERATED_SCAN_BYTES) >= 0 or not ascii_compatible(encoding)


def is_notebook(name: str | Path) -> bool:
    return str(name).endswith(".ipynb")


def process_text(display: str, text: str, options: Options, fix: bool = False, diff: bool = False,
                 patch: bool = False) -> UnitResult:
    """Check or fix one source text.  ``patch``: diff notebooks as whole JSON files, for ``git apply``."""
    # Imported here so that callers which only need is_generated/is_notebook do not load libcst.
    unit = UnitResult(shown_source=text)
    if is_notebook(display):
        # A notebook the pre-filter rejects is loaded and masked without libcst (sources.process).
        from fixorder import sources as notebooks

        outcome = notebooks.process(display, text, options, fix or diff)
        unit.findings, unit.fixed, unit.error = outcome.findings, outcome.fixed, outcome.error
        unit.warning = outcome.warning
        unit.backbones = outcome.backbones
        unit.shown_source = outcome.program
        unit.new_text = outcome.new_text
        if outcome.new_text is not None and diff:
            from fixorder.engine import unified_diff

            unit.diff = unified_diff(display, text, outcome.new_text) if patch else \
                notebooks.cell_diffs(display, outcome.changed_cells)
        return unit
    from fixorder.engine import check_source, fix_source, unified_diff

    outcome = fix_source(display, text, options) if fix or diff else check_source(display, text, options)
    unit.findings, unit.fixed, unit.error = outcome.findings, outcome.fixed, outcome.error
    unit.warning = outcome.warning
    unit.backbones = outcome.backbones
    if outcome.changed:
        unit.new_text = outcome.fixed_source
        if diff:
            unit.diff = unified_diff(display, text, outcome.fixed_source)
    return unit
