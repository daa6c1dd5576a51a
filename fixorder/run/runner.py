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

from fixorder.run import guards

from fixorder.inputs import prefilter
from fixorder.run.cache import Cache, content_hash
from fixorder.inputs.discovery import DiscoveryOptions, discover_names
from fixorder.inputs.files import (SourceError, SourceFile, check_decodes, decode_text, read_bytes, read_source,
                            source_encoding, stale_temporaries, write_source)
from fixorder.findings import Finding
from fixorder.inputs.options import Options
from fixorder.run.unit import is_generated, is_notebook, may_be_generated


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
    backbones_found: int = 0  # pretrained backbones in the files checked
    backbones_linked: int = 0  # ... that data followed from a known source reaches


@dataclass
class _Pending:
    source: SourceFile
    display: str
    key: str | None  # the cache's key; None: never cached
    stat: os.stat_result | None
    digest: str | None
    options: Options | None = None  # the unit's own options, when not the run's


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
    temporaries: list[str] = []
    files, path_errors = discover_names(paths, discovery, temporaries)
    files, stats = _one_name_per_file(files)
    result.files = files
    for name, reason in path_errors:
        result.errors.append(f"{name}: {reason}")
    _stale_temporaries(result, temporaries, fix and not diff)
    cache = Cache(cache_dir, options) if cache_dir is not None else None
    fixing = fix or diff
    pending: list[_Pending] = []
    cwd = Path.cwd().resolve()
    generated: set[str] = set()
    for path in files:
        file_options = options_for(path) if options_for else options
        if is_notebook(path) or (file_options is not options and file_options != options):
            # Notebooks (cells, masked magics) and files with their own per-file-ignores skip the
            # cache, which is keyed by the run's options; they are analysed like every other unit.
            item = _own_unit(result, path, display_path(path, cwd), file_options, max_bytes)
            if item is None:
                generated.add(path)
            elif item is not False:
                pending.append(item)
            continue
        key = os.path.join(cwd, path)
        st = stats.get(path) if cache is not None else None
        cached = None
        if cache is not None and st is not None:
            hit, cached = cache.by_stat(key, st)
            if hit and cached is None:
                continue  # rejected by the pre-filter last time and unchanged since
        # Most files end at the pre-filter's byte test: for them nothing is decoded that need
        # not be (only checked to decode), and no display path is made (it resolves symlinks).
        text = None
        try:
            raw = read_bytes(path, st=stats.get(path))
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
                from fixorder.run.worker import not_analysed

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
            _count_backbones(result, cached.backbones)
            continue
        if hashable and digest is None:  # a stat hit that --fix must analyse again: stored by digest
            digest = content_hash(source.raw)
        pending.append(_Pending(source, display, key, st, digest))

    if pending:  # the worker machinery is imported only when some file is analysed
        from fixorder.run.worker import Settings, Task, analyse_all

        settings = Settings(options, fixing, time_limit, diff=diff, patch=patch)
        tasks = [Task(p.display, p.source.text, p.options) for p in pending]
        for item, (unit, complete) in zip(pending, analyse_all(tasks, settings, jobs)):
            result.analysed += 1
            _collect(result, item, unit, settings, verify)
            if cache is not None and complete and item.key is not None and item.stat is not None \
                    and unit.new_text is None:
                cache.store_result(item.key, item.stat, item.digest, unit.findings, unit.error, unit.warning,
                                   unit.backbones)
    if cache is not None:
        cache.save()
        result.warnings.extend(cache.warnings)
    result.files = [f for f in files if f not in generated]
    result.findings.sort(key=Finding.sort_key)
    return result


def _count_backbones(result: RunResult, counts: tuple[int, int]) -> None:
    result.backbones_found += counts[0]
    result.backbones_linked += counts[1]


def _collect(result: RunResult, item: _Pending, unit, settings, verify: bool) -> None:
    display, source = item.display, item.source
    result.sources[display] = unit.shown_source
    _messages(result, display, unit.error, unit.warning)
    _count_backbones(result, unit.backbones)
    findings = unit.findings
    if unit.new_text is not None:
        if settings.diff:
            result.diffs.append(unit.diff)
            result.changed_files.append(display)
            result.fixed_findings.extend(unit.fixed)
        elif verify and not _verified(display, source.text, unit.new_text, result):
            findings = _recheck(item, settings)
        else:
            try:
                write_source(source, unit.new_text)
                result.fixed += len(unit.fixed)
                result.fixed_findings.extend(unit.fixed)
                result.changed_files.append(display)
            except (SourceError, OSError) as exc:
                result.errors.append(f"{display}: {exc}")
                findings = _recheck(item, settings)
    result.findings.extend(findings)


def _recheck(item: _Pending, settings) -> list[Finding]:
    """The findings of a unit whose fix was not kept, checked (in a worker) as it stands."""
    from dataclasses import replace

    from fixorder.run.worker import Task, analyse_all

    task = Task(item.display, item.source.text, item.options)
    unit, _ = next(analyse_all([task], replace(settings, fix=False, diff=False), jobs=1))
    return unit.findings


def _own_unit(result: RunResult, path: str, display: str, options: Options, max_bytes: int):
    """A notebook's or a per-file-options file's unit to analyse; None: skipped as generated;
    False: not readable (the error is recorded)."""
    notebook = is_notebook(path)
    try:
        # A notebook's JSON also holds its outputs (plots, tables): the file may be far larger
        # than its code, and the size limit applies to the code.
        source = read_source(Path(path), guards.MAX_NOTEBOOK_FILE_BYTES if notebook else max_bytes)
    except SourceError as exc:
        _error(result, display, str(exc), _read_error(display, str(exc)))
        return False
    if is_generated(source.text):
        result.skipped_generated.append(display)
        return None
    if notebook and _notebook_cannot_have_findings(source):
        return False  # rejected by the pre-filter: nothing to analyse, nothing to report
    reason = guards.notebook_size_error(source.text, max_bytes) if notebook else \
        guards.size_error(len(source.raw), max_bytes)
    if reason:
        from fixorder.run.worker import not_analysed

        _error(result, display, reason, not_analysed(display, reason))
        return False
    return _Pending(source, display, None, None, None, options)


def analyse_text(display: str, text: str, options: Options, fix: bool = False, diff: bool = False,
                 patch: bool = False, time_limit: float = guards.DEFAULT_TIME_LIMIT):
    """One unit that is not a file (stdin, an editor's buffer), through the same worker and
    guards as files: a UnitResult, never an exception or a crash of this process."""
    from fixorder.run.worker import Settings, Task, analyse_all

    settings = Settings(options, fix or diff, time_limit, diff=diff, patch=patch)
    unit, _ = next(analyse_all([Task(display, text)], settings, jobs=1))
    return unit


def _stale_temporaries(result: RunResult, candidates: list[str], remove: bool) -> None:
    """Temporary files that a killed run left beside the sources: --fix removes them, other
    runs (which write nothing) name them."""
    for path in stale_temporaries(candidates):
        name = os.path.normpath(path)
        if not remove:
            result.warnings.append(f"{name}: temporary file left by an interrupted fixorder run; --fix removes it")
            continue
        try:
            os.unlink(path)
            result.warnings.append(f"{name}: removed a temporary file left by an interrupted fixorder run")
        except OSError as exc:
            result.warnings.append(f"{name}: temporary file left by an interrupted fixorder run; cannot remove it: "
                                   f"{exc.strerror or exc}")


def _notebook_cannot_have_findings(source: SourceFile) -> bool:
    """The pre-filter's first stage on the notebook's raw JSON (prefilter.py); a notebook it
    rejects is still loaded (JSON and cells, no libcst) so that a broken one is reported."""
    from fixorder.inputs.notebooks import NotebookError, load

    try:
        notebook = load(source.text)
    except NotebookError:
        return False  # process_text reports it as FO001
    if not prefilter.may_have_findings(source.raw, notebook=True):
        return True
    # Stage 2 on the joined code cells: the name in markdown or a comment is not an identifier.
    program = notebook.program
    if notebook.unparsable:  # a cell left out for its syntax error is reported where a pipeline could be
        return not prefilter.text_may_have_findings(notebook.all_code)
    return not (prefilter.text_may_have_findings(program) and prefilter.names_may_have_findings(program))


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
    from fixorder.run.engine import parse_error  # only on this rare path: it loads libcst

    return parse_error(display, reason)


def _one_name_per_file(files: list[str]) -> tuple[list[str], dict[str, os.stat_result]]:
    """The first name of every file (a symbolic link or a hard link in the same tree is a
    second name: one file is one unit, read, reported and fixed once), and each one's stat."""
    unique: list[str] = []
    stats: dict[str, os.stat_result] = {}
    seen: set[tuple[int, int]] = set()
    for path in files:
        try:
            st = os.stat(path)
        except OSError:
            unique.append(path)  # reading it reports why
            continue
        if (st.st_dev, st.st_ino) in seen:
            continue
        seen.add((st.st_dev, st.st_ino))
        stats[path] = st
        unique.append(path)
    return unique, stats
