"""A whole run over many files: read, check or fix, write; collect findings and errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from fixorder.discovery import DiscoveryOptions, discover
from fixorder.engine import Options, parse_error
from fixorder.files import SourceError, read_source, write_source
from fixorder.findings import Finding
from fixorder.unit import is_generated, process_text


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
    verified: list[str] = field(default_factory=list)  # "path: reason" for each --verify run


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def run(paths: list[str], options: Options, fix: bool = False, diff: bool = False, *,
        discovery: DiscoveryOptions | None = None, options_for: Callable[[Path], Options] | None = None,
        patch: bool = False, verify: bool = False) -> RunResult:
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
            elif verify and not _verified(display, source.text, unit.new_text, result):
                findings = process_text(display, source.text, options_for(path) if options_for else options
                                        ).findings
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


def _verified(display: str, original: str, rewritten: str, result: RunResult) -> bool:
    """``--fix --verify``: run the rewritten script; False means the rewrite must not be kept."""
    from fixorder.verify import verify_rewrite  # only --verify pays for the runtime check

    keep, reason = verify_rewrite(display, original, rewritten)
    result.verified.append(f"{display}: {'kept' if keep else 'fix reverted'}: {reason}")
    return keep
