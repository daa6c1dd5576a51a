"""A whole run over many files: read, check or fix, write; collect findings and errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fixorder.engine import Options, check_source, fix_source, parse_error, unified_diff
from fixorder.files import SourceError, discover, read_source, write_source
from fixorder.findings import Finding


@dataclass
class RunResult:
    files: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)  # one line each: "path: reason"
    diffs: list[str] = field(default_factory=list)
    fixed: int = 0
    changed_files: list[str] = field(default_factory=list)
    verified: list[str] = field(default_factory=list)  # "path: reason" for each --verify run


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def run(paths: list[str], options: Options, fix: bool = False, diff: bool = False,
        verify: bool = False) -> RunResult:
    """Check (or fix, or diff) every Python file under ``paths``; one bad file never stops the run."""
    result = RunResult()
    files, path_errors = discover(paths)
    result.files = files
    for name, reason in path_errors:
        result.errors.append(f"{name}: {reason}")
    for path in files:
        display = display_path(path)
        try:
            source = read_source(path)
        except SourceError as exc:
            result.errors.append(f"{display}: {exc}")
            result.findings.append(parse_error(display, str(exc)))
            continue
        result.sources[display] = source.text
        outcome = fix_source(display, source.text, options) if fix or diff else \
            check_source(display, source.text, options)
        if outcome.error:
            result.errors.append(f"{display}: {outcome.error}")
        if outcome.changed:
            if diff:
                result.diffs.append(unified_diff(display, source.text, outcome.fixed_source))
                result.changed_files.append(display)
            elif verify and not _verified(display, source.text, outcome.fixed_source, result):
                outcome = check_source(display, source.text, options)
            else:
                try:
                    write_source(source, outcome.fixed_source)
                    result.fixed += len(outcome.fixed)
                    result.changed_files.append(display)
                except (SourceError, OSError) as exc:
                    result.errors.append(f"{display}: {exc}")
                    outcome = check_source(display, source.text, options)
        result.findings.extend(outcome.findings)
    result.findings.sort(key=Finding.sort_key)
    return result


def _verified(display: str, original: str, rewritten: str, result: RunResult) -> bool:
    """``--fix --verify``: run the rewritten script; False means the rewrite must not be kept."""
    from fixorder.verify import verify_rewrite  # only --verify pays for the runtime check

    keep, reason = verify_rewrite(display, original, rewritten)
    result.verified.append(f"{display}: {'kept' if keep else 'fix reverted'}: {reason}")
    return keep
