"""A whole run over many files: read, check or fix, write; collect findings and errors.

The cost of a run is kept to the files that can matter: each file's bytes go through the
pre-filter first (prefilter.py), unchanged files come from the cache (cache.py), and only
the rest is parsed and analysed, in a process pool when there are enough of them (worker.py).
libcst is imported only when some file has to be analysed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from fixorder import guards, prefilter
from fixorder.cache import Cache, content_hash
from fixorder.discovery import DiscoveryOptions, discover_names
from fixorder.files import (SourceError, SourceFile, check_decodes, decode_text, read_bytes, read_source,
                            source_encoding, write_source)
from fixorder.findings import Finding
from fixorder.options import Options
from fixorder.unit import is_generated, is_notebook, may_be_generated, process_text


@dataclass
class RunResult:
    files: list[str] = field(default_factory=list)  # the files checked, as discovery spells them
    findings: list[Finding] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # only the files that were analysed
    errors: list[str] = field(default_factory=list)  # one line each: "path: reason"
    warnings: list[str] = field(default_factory=list)  # "path: reason": analysed, but not completely
    diffs: list[str] = field(default_factory=list)
    fixed: int = 0
    changed_files: list[str] = field(default_factory=list)
    verified: list[str] = field(default_factory=list)  # "path: reason" for each --verify run
    fixed_findings: list[Finding] = field(default_factory=list)
    skipped_generated: list[str] = field(default_factory=list)
    analysed: int = 0  # files parsed in this run (not pre-filtered out, not from the cache)


@dataclass
class _Pending:
    source: SourceFile
    display: str
    key: str
    stat: os.stat_result | None
    digest: str | None


def display_path(path: str | Path, cwd: Path | None = None) -> str:
    path = Path(path)
    try:
        return str(path.resolve().relative_to(cwd or Path.cwd().resolve()))
    except ValueError:
        return str(path)
    except (OSError, RuntimeError):  # a symbolic link loop cannot be resolved; read_source says so
        return os.path.relpath(path)


def run(paths: list[str], options: Options, fix: bool = False, diff: bool = False,
        verify: bool = False, *, jobs: int | None = None, cache_dir: str | os.PathLike | None = None,
        max_bytes: int = guards.DEFAULT_MAX_BYTES, time_limit: float = guards.DEFAULT_TIME_LIMIT,
        discovery: DiscoveryOptions | None = None, options_for: Callable[[str | Path], Options] | None = None,
        patch: bool = False) -> RunResult:
    """Check (or fix, or diff) every Python file under ``paths``; one bad file never stops the run.

    ``jobs``: worker processes (None: the CPU count; a pool only starts when there is enough
    work).  ``cache_dir``: where results are kept between runs (None: no cache).
    """
    result = RunResult()
    files, path_errors = discover_names(paths, discovery)
    result.files = files
    for name, reason in path_errors:
        result.errors.append(f"{name}: {reason}")
    cache = Cache(cache_dir, options) if cache_dir is not None else None
    fixing = fix or diff
    pending: list[_Pending] = []
    cwd = Path.cwd().resolve()
    generated: set[str] = set()
    for path in files:
        file_options = options_for(path) if options_for else options
        if is_notebook(path) or (file_options is not options and file_options != options):
            # Notebooks (cells, masked magics) and files with their own per-file-ignores are
            # analysed here, outside the cache, which is keyed by the run's options.
            if _unit_in_process(result, path, display_path(path, cwd), file_options, fix, diff, patch, verify):
                generated.add(path)
            continue
        key = os.path.join(cwd, path)
        st = _stat(path) if cache is not None else None
        cached = None
        if cache is not None and st is not None:
            hit, cached = cache.by_stat(key, st)
            if hit and cached is None:
                continue  # rejected by the pre-filter last time and unchanged since
        # Most files end at the pre-filter's byte test: for them nothing is decoded that need
        # not be (only checked to decode), and no display path is made (it resolves symlinks).
        text = None
        try:
            raw = read_bytes(path)
            encoding = source_encoding(raw)
            if may_be_generated(raw, encoding):
                text = decode_text(raw, encoding)
                if is_generated(text):
                    result.skipped_generated.append(display_path(path, cwd))
                    generated.add(path)
                    continue
            if cached is None and not prefilter.may_have_findings(raw, encoding):
                if text is None:
                    check_decodes(raw, encoding)
                if cache is not None and st is not None:
                    cache.store_rejected(key, st)
                continue
            if text is None:
                text = decode_text(raw, encoding)
        except SourceError as exc:
            display = display_path(path, cwd)
            _error(result, display, str(exc), _read_error(display, str(exc)))
            continue
        source = SourceFile(Path(path), text, encoding, raw)
        if cached is None:
            if not prefilter.names_may_have_findings(source.text):
                if cache is not None and st is not None:
                    cache.store_rejected(key, st)
                continue
        display = display_path(path, cwd)
        if cached is None:
            reason = guards.size_error(len(source.raw), max_bytes)
            if reason:
                from fixorder.worker import not_analysed

                _error(result, display, reason, not_analysed(display, reason))
                continue
        hashable = cache is not None and st is not None
        digest = content_hash(source.raw) if hashable and cached is None else None
        if digest is not None:
            cached = cache.by_content(key, st, digest)
        if cached is not None and (cached.clean or not fixing):
            result.sources[display] = source.text
            result.findings.extend(cached.restore(display))
            _messages(result, display, cached.error, cached.warning)
            continue
        if hashable and digest is None:  # a stat hit that --fix must analyse again: stored by digest
            digest = content_hash(source.raw)
        pending.append(_Pending(source, display, key, st, digest))

    if pending:  # the worker machinery is imported only when some file is analysed
        from fixorder.worker import Settings, Task, analyse_all, detach

        settings = Settings(options, fixing, time_limit)
        tasks = [Task(p.display, p.source.text) for p in pending]
        for item, (outcome, complete) in zip(pending, analyse_all(tasks, settings, jobs)):
            result.analysed += 1
            _collect(result, item, outcome, options, diff, verify)
            if cache is not None and complete and item.stat is not None and not outcome.changed:
                cache.store_result(item.key, item.stat, item.digest, detach(outcome).findings, outcome.error,
                                   outcome.warning)
    if cache is not None:
        cache.save()
    result.files = [f for f in files if f not in generated]
    result.findings.sort(key=Finding.sort_key)
    return result


def _collect(result: RunResult, item: _Pending, outcome, options: Options, diff: bool, verify: bool) -> None:
    from fixorder.worker import Settings, Task, analyse
    display, source = item.display, item.source
    result.sources[display] = source.text
    _messages(result, display, outcome.error, outcome.warning)
    if outcome.changed:
        if diff:
            from fixorder.engine import unified_diff

            result.diffs.append(unified_diff(display, source.text, outcome.fixed_source))
            result.changed_files.append(display)
            result.fixed_findings.extend(outcome.fixed)
        elif verify and not _verified(display, source.text, outcome.fixed_source, result):
            outcome, _ = analyse(Task(display, source.text), Settings(options, False, guards.DEFAULT_TIME_LIMIT))
        else:
            try:
                write_source(source, outcome.fixed_source)
                result.fixed += len(outcome.fixed)
                result.fixed_findings.extend(outcome.fixed)
                result.changed_files.append(display)
            except (SourceError, OSError) as exc:
                result.errors.append(f"{display}: {exc}")
                outcome, _ = analyse(Task(display, source.text), Settings(options, False, guards.DEFAULT_TIME_LIMIT))
    result.findings.extend(outcome.findings)


def _unit_in_process(result: RunResult, path: str, display: str, options: Options, fix: bool, diff: bool,
                     patch: bool, verify: bool) -> bool:
    """Check or fix one file in this process; True when it was skipped as generated."""
    try:
        source = read_source(Path(path))
    except SourceError as exc:
        _error(result, display, str(exc), _read_error(display, str(exc)))
        return False
    if is_generated(source.text):
        result.skipped_generated.append(display)
        return True
    if is_notebook(path) and _notebook_cannot_have_findings(source):
        return False
    unit = process_text(display, source.text, options, fix, diff, patch)
    result.analysed += 1
    result.sources[display] = unit.shown_source
    _messages(result, display, unit.error, unit.warning)
    findings = unit.findings
    if unit.new_text is not None:
        if diff:
            result.diffs.append(unit.diff)
            result.changed_files.append(display)
            result.fixed_findings.extend(unit.fixed)
        elif verify and not _verified(display, source.text, unit.new_text, result):
            findings = process_text(display, source.text, options).findings
        else:
            try:
                write_source(source, unit.new_text)
                result.fixed += len(unit.fixed)
                result.fixed_findings.extend(unit.fixed)
                result.changed_files.append(display)
            except (SourceError, OSError) as exc:
                result.errors.append(f"{display}: {exc}")
                findings = process_text(display, source.text, options).findings
    result.findings.extend(findings)
    return False


def _notebook_cannot_have_findings(source: SourceFile) -> bool:
    """The pre-filter's first stage on the notebook's raw JSON (prefilter.py); a notebook it
    rejects is still loaded (JSON and cells, no libcst) so that a broken one is reported."""
    if prefilter.may_have_findings(source.raw, notebook=True):
        return False
    from fixorder.sources import NotebookError, load

    try:
        load(source.text)
    except NotebookError:
        return False  # process_text reports it as FO001
    return True


def _verified(display: str, original: str, rewritten: str, result: RunResult) -> bool:
    """``--fix --verify``: run the rewritten script; False means the rewrite must not be kept."""
    from fixorder.verify import verify_rewrite  # only --verify pays for the runtime check

    keep, reason = verify_rewrite(display, original, rewritten)
    result.verified.append(f"{display}: {'kept' if keep else 'fix reverted'}: {reason}")
    return keep


def _messages(result: RunResult, display: str, error: str | None, warning: str | None) -> None:
    """One analysed file's error and warning lines, however its result was obtained."""
    if error:
        result.errors.append(f"{display}: {error}")
    if warning:
        result.warnings.append(f"{display}: {warning}")


def _error(result: RunResult, display: str, reason: str, finding: Finding) -> None:
    result.errors.append(f"{display}: {reason}")
    result.findings.append(finding)


def _read_error(display: str, reason: str) -> Finding:
    from fixorder.engine import parse_error  # only on this rare path: it loads libcst

    return parse_error(display, reason)


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None
