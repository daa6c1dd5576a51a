"""One source unit (a Python file, a notebook, or stdin) checked or fixed, nothing written yet."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fixorder.findings import Finding

# The notebook machinery (json, its masks) and difflib are imported where they are used: every
# run imports this module (is_generated, is_notebook), and a run over .py files with nothing to
# diff needs neither.
if TYPE_CHECKING:
    from fixorder.inputs.notebooks import Notebook
    from fixorder.inputs.options import Options

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
    from fixorder.inputs.prefilter import ascii_compatible

    return raw.find(b"@generated", 0, _GENERATED_SCAN_BYTES) >= 0 or not ascii_compatible(encoding)


def is_notebook(name: str | Path) -> bool:
    return str(name).endswith(".ipynb")


def process_text(display: str, text: str, options: Options, fix: bool = False, diff: bool = False,
                 patch: bool = False) -> UnitResult:
    """Check or fix one source text.  ``patch``: diff notebooks as whole JSON files, for ``git apply``."""
    # Imported here so that callers which only need is_generated/is_notebook do not load libcst.
    unit = UnitResult(shown_source=text)
    if is_notebook(display):
        # A notebook the pre-filter rejects is loaded and masked without libcst (process_notebook).
        outcome = process_notebook(display, text, options, fix or diff)
        unit.findings, unit.fixed, unit.error = outcome.findings, outcome.fixed, outcome.error
        unit.warning = outcome.warning
        unit.backbones = outcome.backbones
        unit.shown_source = outcome.program
        unit.new_text = outcome.new_text
        if outcome.new_text is not None and diff:
            from fixorder.run.engine import unified_diff

            unit.diff = unified_diff(display, text, outcome.new_text) if patch else \
                cell_diffs(display, outcome.changed_cells)
        return unit
    from fixorder.run.engine import check_source, fix_source, unified_diff

    outcome = fix_source(display, text, options) if fix or diff else check_source(display, text, options)
    unit.findings, unit.fixed, unit.error = outcome.findings, outcome.fixed, outcome.error
    unit.warning = outcome.warning
    unit.backbones = outcome.backbones
    if outcome.changed:
        unit.new_text = outcome.fixed_source
        if diff:
            unit.diff = unified_diff(display, text, outcome.fixed_source)
    return unit


@dataclass
class NotebookOutcome:
    findings: list[Finding] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)
    error: str | None = None
    warning: str | None = None
    program: str = ""
    new_text: str | None = None  # the rewritten notebook JSON when a fix changed a cell
    changed_cells: dict[int, tuple[str, str]] = field(default_factory=dict)  # number -> (before, after)
    backbones: tuple[int, int] = (0, 0)  # pretrained backbones found, and linked to data


def process_notebook(display: str, text: str, options: Options, fix: bool) -> NotebookOutcome:
    """Check (or fix) one notebook's code; never raises for a bad notebook."""
    from fixorder.inputs.notebooks import NotebookError, in_cell_terms, load, non_python_kernel, to_cells
    from fixorder.inputs.prefilter import names_may_have_findings, text_may_have_findings

    outcome = NotebookOutcome()
    try:
        notebook = load(text)
    except NotebookError as exc:
        from fixorder.run.engine import parse_error

        outcome.error = str(exc)
        outcome.findings = [parse_error(display, str(exc))]
        return outcome
    outcome.program = notebook.program
    outcome.warning = non_python_kernel(notebook.data)
    # The pre-filter on the joined code cells (stdin notebooks and those whose JSON names it).
    if outcome.warning or not text_may_have_findings(notebook.all_code):
        return outcome
    unparsable = _unparsable_cells(display, notebook)
    if not notebook.cells or not names_may_have_findings(notebook.program):
        outcome.error, outcome.findings = _with_unparsable(None, [], unparsable)
        return outcome
    # Imported here: reading and masking notebooks does not need libcst, analysing them does.
    from fixorder.run.engine import check_source, fix_source
    result = fix_source(display, notebook.program, options) if fix else \
        check_source(display, notebook.program, options)
    outcome.error, outcome.warning = in_cell_terms(notebook, result.error), result.warning
    outcome.backbones = result.backbones
    outcome.findings = result.findings
    for finding in outcome.findings:
        if result.error and finding.code == "FO001":
            finding.message = finding.message.replace(result.error, outcome.error)
    outcome.fixed = result.fixed
    if result.changed:
        try:
            outcome.new_text, outcome.changed_cells = write_back(notebook, result.fixed_source)
        except NotebookError as exc:
            outcome.error = str(exc)
            result = check_source(display, notebook.program, options)
            outcome.findings, outcome.fixed = result.findings, []
    to_cells(notebook, outcome.findings)
    to_cells(notebook, outcome.fixed)
    outcome.error, outcome.findings = _with_unparsable(outcome.error, outcome.findings, unparsable)
    return outcome


def _unparsable_cells(display: str, notebook) -> list[tuple[str, Finding]]:
    """(reason, FO001 finding) for each cell left out of the program because it does not parse."""
    from fixorder.run.engine import parse_error

    out = []
    for cell in notebook.unparsable:
        reason = f"{cell.reason}; the cell is left out of the analysis, as Jupyter runs the others"
        finding = parse_error(display, reason)  # positioned from the reason's "line L, column C"
        finding.cell = cell.number
        out.append((reason, finding))
    return out


def _with_unparsable(error: str | None, findings: list[Finding], unparsable) -> tuple[str | None, list[Finding]]:
    if not unparsable:
        return error, findings
    reasons = [reason for reason, _ in unparsable]
    merged = sorted(findings + [finding for _, finding in unparsable], key=Finding.sort_key)
    return "; ".join(([error] if error else []) + reasons), merged


def write_back(notebook: Notebook, program: str) -> tuple[str | None, dict[int, tuple[str, str]]]:
    """The notebook JSON with only the changed cells rewritten."""
    import json

    from fixorder.inputs.notebooks import NotebookError, dump_like, reindent, split_program, unmask

    if dump_like(json.loads(notebook.text), notebook.text) != notebook.text:
        raise NotebookError("cannot reproduce the notebook's JSON formatting; notebook not changed")
    bodies = split_program(notebook, program)
    changed: dict[int, tuple[str, str]] = {}
    for cell in notebook.cells:
        if bodies[cell.number] == cell.masked:
            continue
        if cell.indent and any(line.strip() and not line.startswith(cell.indent)
                               for line in cell.source.split("\n")):
            raise NotebookError(f"cell {cell.number} is indented unevenly; notebook not changed")
        new_source = reindent(unmask(cell, bodies[cell.number]), cell.indent)
        raw = notebook.data["cells"][cell.number - 1]
        raw["source"] = new_source.splitlines(keepends=True) if isinstance(raw.get("source"), list) else new_source
        changed[cell.number] = (cell.source, new_source)
    if not changed:
        return None, {}
    return dump_like(notebook.data, notebook.text), changed


def cell_diffs(display: str, changed: dict[int, tuple[str, str]]) -> str:
    """One unified diff per changed cell, headed ``a/PATH:cell N``."""
    import difflib

    out = []
    for number, (before, after) in sorted(changed.items()):
        name = f"{display}:cell {number}"
        for line in difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                         fromfile=f"a/{name}", tofile=f"b/{name}"):
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
