"""Analyse the files that passed the pre-filter: one at a time, or in a process pool.

Each file runs under the time guard, and any exception it raises becomes that file's FO001
instead of ending the run.  A pool is used only when there is enough work to pay for it,
and never under pre-commit, which already runs hooks in parallel.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from dataclasses import dataclass
from typing import Iterator

from fixorder import guards
from fixorder.findings import Finding
from fixorder.options import Options

# Below this many files to analyse, starting workers costs more than it saves.
POOL_MIN_FILES = 16


@dataclass(frozen=True)
class Task:
    display: str  # the path as reported
    text: str


@dataclass(frozen=True)
class Settings:
    options: Options
    fix: bool  # fix_source (also for --diff) instead of check_source
    time_limit: float


class DetachedAction:
    """Stands in for a fix's codemod action once a result has left the process that made it.

    Reports only ask whether a fix has an action (``[*]``, "fixable with --fix"); applying
    it needs the live syntax tree, which is never sent between processes or cached.
    """

    def __repr__(self) -> str:
        return "DetachedAction()"


DETACHED = DetachedAction()


def not_analysed(display: str, reason: str) -> Finding:
    """The FO001 finding for a file that was skipped or failed during analysis."""
    return Finding(display, 1, 1, 1, 1, "FO001", "parse-error", f"not analysed: {reason}")


def analyse(task: Task, settings: Settings) -> tuple:
    """(FileResult, complete) for one file; never raises for a problem in the file itself.

    ``complete`` is False when the result says more about this run than about the file
    (time limit, internal error): such a result must not be cached.
    """
    from fixorder import engine  # imported here: libcst loads only when some file needs it

    try:
        with guards.time_limit(settings.time_limit):
            if settings.fix:
                return engine.fix_source(task.display, task.text, settings.options), True
            return engine.check_source(task.display, task.text, settings.options), True
    except guards.TimeLimitExceeded:
        reason = guards.time_error(settings.time_limit)
    except RecursionError:
        reason = "too deeply nested to analyse"
    except Exception as exc:  # noqa: BLE001 - one file's bug must not stop the run
        detail = str(exc).splitlines()[0] if str(exc) else ""
        reason = f"internal error: {type(exc).__name__}{': ' + detail if detail else ''}"
    return engine.FileResult(task.display, findings=[not_analysed(task.display, reason)],
                             source=task.text, error=reason), False


def detach(result):
    """``result`` without live syntax-tree references, so it can be pickled or cached."""
    for finding in [*result.findings, *result.fixed]:
        if finding.fix is not None and finding.fix.action is not None:
            finding.fix.action = DETACHED
    return result


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def pool_size(jobs: int | None, files: int) -> int:
    """How many worker processes to use for ``files`` files: 0 means analyse in this process."""
    if os.environ.get("PRE_COMMIT"):
        return 0  # pre-commit already runs one hook process per CPU
    jobs = default_jobs() if jobs is None else jobs
    if jobs <= 1 or files < POOL_MIN_FILES:
        return 0
    return min(jobs, files)


def analyse_all(tasks: list[Task], settings: Settings, jobs: int | None = None) -> Iterator[tuple]:
    """``analyse`` of each task, in order, from a pool when there is enough work."""
    workers = pool_size(jobs, len(tasks))
    if workers == 0:
        for task in tasks:
            yield analyse(task, settings)
        return
    from fixorder import engine  # noqa: F401 - loaded once here, inherited by forked workers

    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    chunk = max(1, len(tasks) // (workers * 8))
    with context.Pool(workers, initializer=_init_worker, initargs=(settings,)) as pool:
        yield from pool.imap(_analyse_in_worker, tasks, chunksize=chunk)


_worker_settings: Settings | None = None


def _init_worker(settings: Settings) -> None:
    global _worker_settings
    _worker_settings = settings


def _analyse_in_worker(task: Task) -> tuple:
    outcome, complete = analyse(task, _worker_settings)
    return detach(outcome), complete

