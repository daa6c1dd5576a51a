"""A whole run over many files: read, check or fix, write; collect findings and errors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from fixorder import sources as notebooks
from fixorder.discovery import DiscoveryOptions, discover
from fixorder.engine import Options, check_source, fix_source, parse_error, unified_diff
from fixorder.files import SourceError, read_source, write_source
from fixorder.findings import Finding

# Generated code is regenerated, not edited: a marker near the top makes the file skipped.
_GENERATED = re.compile(r"@generated\b")
GENERATED_SCAN_CHARS = 2048


@dataclass
class RunResult:
    files: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)  # one line each: "path: reason"
    diffs: list[str] = field(default_factory=list)
    fixed: int = 0
    fixed_findings: list[Finding] = field(default_factory=list)
    changed_files: list[str] = field(default_factory=list)
    skipped_generated: list[str] = field(default_factory=list)


@dataclass
class UnitResult:
    """One file's (or stdin's) outcome, before anything is written."""

    findings: list[Finding] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)
    error: str | None = None
    shown_source: str = ""  # what reports quote lines from (a notebook's joined program)
    new_text: str | None = None  # the full new file text when fixing changed it
    diff: str = ""


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def is_generated(text: str) -> bool:
    return bool(_GENERATED.search(text[:GENERATED_SCAN_CHARS]))


def is_notebook(name: str | Path) -> bool:
    return str(name).endswith(".ipynb")


def process_text(display: str, text: str, options: Options, fix: bool = False, diff: bool = False,
                 patch: bool = False) -> UnitResult:
    """Check or fix one source text.  ``patch``: diff notebooks as whole JSON files, for ``git apply``."""
    unit = UnitResult(shown_source=text)
    if is_notebook(display):
        outcome = notebooks.process(display, text, options, fix or diff)
        unit.findings, unit.fixed, unit.error = outcome.findings, outcome.fixed, outcome.error
        unit.shown_source = outcome.program
        unit.new_text = outcome.new_text
        if outcome.new_text is not None and diff:
            unit.diff = unified_diff(display, text, outcome.new_text) if patch else \
                notebooks.cell_diffs(display, outcome.changed_cells)
        return unit
    outcome = fix_source(display, text, options) if fix or diff else check_source(display, text, options)
    unit.findings, unit.fixed, unit.error = outcome.findings, outcome.fixed, outcome.error
    if outcome.changed:
        unit.new_text = outcome.fixed_source
        if diff:
            unit.diff = unified_diff(display, text, outcome.fixed_source)
    return unit


def run(paths: list[str], options: Options, fix: bool = False, diff: bool = False, *,
        discovery: DiscoveryOptions | None = None, options_for: Callable[[Path], Options] | None = None,
        patch: bool = False) -> RunResult:
    """Check (or fix, or diff) every source file under ``paths``; one bad file never stops the run."""
    result = RunResult()
    files, path_errors = discover(paths, discovery)
    for name, reason in path_errors:
        result.errors.append(f"{name}: {reason}")
    for path in files:
        display = display_path(path)
        try:
            source = read_source(path)
        except SourceError as exc:
            result.files.append(path)
            result.errors.append(f"{display}: {exc}")
            result.findings.append(parse_error(display, str(exc)))
            continue
        if is_generated(source.text):
            result.skipped_generated.append(display)
            continue
        result.files.append(path)
        unit = process_text(display, source.text, options_for(path) if options_for else options, fix, diff, patch)
        result.sources[display] = unit.shown_source
        if unit.error:
            result.errors.append(f"{display}: {unit.error}")
        findings = unit.findings
        if unit.new_text is not None:
            if diff:
                result.diffs.append(unit.diff)
                result.changed_files.append(display)
                result.fixed_findings.extend(unit.fixed)
            else:
                try:
                    write_source(source, unit.new_text)
                    result.fixed += len(unit.fixed)
                    result.fixed_findings.extend(unit.fixed)
                    result.changed_files.append(display)
                except (SourceError, OSError) as exc:
                    result.errors.append(f"{display}: {exc}")
                    findings = process_text(display, source.text, options_for(path) if options_for else options
                                            ).findings
        result.findings.extend(findings)
    result.findings.sort(key=Finding.sort_key)
    return result
