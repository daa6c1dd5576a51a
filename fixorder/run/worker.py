"""Analyse every unit of source (a .py file, a notebook, stdin), in worker processes.

Whatever its origin, a unit is analysed here and nowhere else: under the time guard, in a
process of its own, so that an exception, a native hang or a crash of the parser becomes
that unit's FO001 instead of ending the run.  Several workers run only when there is enough work to pay for
them, and never under pre-commit, which already runs hooks in parallel.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import sys
import time
from dataclasses import dataclass
from typing import Iterator

from fixorder.run import guards
from fixorder.findings import Finding
from fixorder.inputs.options import Options

# Below this many files to analyse, starting workers costs more than it saves.
POOL_MIN_FILES = 16


@dataclass(frozen=True)
class Task:
    display: str  # the path as reported; ``.ipynb`` makes the text a notebook's JSON
    text: str
    options: Options | None = None  # this unit's own options (per-file-ignores); None: the run's


@dataclass(frozen=True)
class Settings:
    options: Options
    fix: bool  # compute fixes (also for --diff) instead of only checking
    time_limit: float
    diff: bool = False  # also make the unit's diff
    patch: bool = False  # notebooks: diff the whole JSON file


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


def analyse(task: Task, settings: Settings, restarted=None) -> tuple:
    """(UnitResult, complete) for one unit; never raises for a problem in the unit itself.

    ``complete`` is False when the result says more about this run than about the file
    (time limit, internal error): such a result must not be cached.
    """
    from fixorder.run.unit import process_text  # imported here: libcst loads only when some file needs it

    options = task.options if task.options is not None else settings.options
    try:
        with guards.time_limit(settings.time_limit):
            return process_text(task.display, task.text, options, settings.fix, settings.diff, settings.patch), True
    except guards.TimeLimitExceeded:
        reason = guards.time_error(settings.time_limit)
        if settings.fix:
            # Fixing re-analyses each pass and can run out of time where checking does not: the
            # unit then gets check's verdict (its findings, unfixed) under a time limit of its own.
            if restarted is not None:
                restarted()
            try:
                with guards.time_limit(settings.time_limit):
                    unit = process_text(task.display, task.text, options)
                unit.warning = f"not fixed: fixing took longer than the time limit of {settings.time_limit:g} s " \
                               "(CPU); the findings are those of a check"
                return unit, False
            except guards.TimeLimitExceeded:
                pass
            except RecursionError:
                reason = "too deeply nested to analyse"
            except Exception as exc:  # noqa: BLE001
                reason = _internal(exc)
    except RecursionError:
        reason = "too deeply nested to analyse"
    except Exception as exc:  # noqa: BLE001 - one file's bug must not stop the run
        reason = _internal(exc)
    return _failed(task, reason), False


def _internal(exc: Exception) -> str:
    detail = str(exc).splitlines()[0] if str(exc) else ""
    return f"internal error: {type(exc).__name__}{': ' + detail if detail else ''}"


# Sent by a worker that starts checking a unit it could not fix in time (see ``analyse``).
RESTARTED = "restarted"


def detach(result):
    """``result`` without live syntax-tree references, so it can be pickled or cached."""
    for finding in [*result.findings, *result.fixed]:
        if finding.fix is not None and finding.fix.action is not None:
            finding.fix.action = DETACHED
    return result


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def pool_size(jobs: int | None, files: int) -> int:
    """How many worker processes analyse ``files`` files (at least one, see ``analyse_all``)."""
    if os.environ.get("PRE_COMMIT"):
        return 1  # pre-commit already runs one hook process per CPU
    jobs = default_jobs() if jobs is None else jobs
    if jobs <= 1 or files < POOL_MIN_FILES:
        return 1
    return min(jobs, files)


def analyse_all(tasks: list[Task], settings: Settings, jobs: int | None = None) -> Iterator[tuple]:
    """``analyse`` of each task, in the order of ``tasks``.

    The work runs in worker processes, even when there is only one: the parser is native
    code, which no signal interrupts, and some inputs make it run for minutes (a long chain
    of ``+``) or crash with a stack overflow (thousands of nested parentheses).  A worker
    that runs past the time limit is killed and one that dies is replaced; its file gets
    FO001 and the run goes on.
    """
    if not tasks:
        return
    _prepare_fork()
    with _Workers(pool_size(jobs, len(tasks)), settings) as workers:
        yield from workers.run(tasks)


def _prepare_fork() -> None:
    """What forked workers inherit instead of importing it themselves."""
    from fixorder.run import engine  # noqa: F401 - loaded once here, inherited by forked workers
    from fixorder.inputs import notebooks  # noqa: F401 - notebooks, likewise

    try:
        import ctypes  # noqa: F401 - for _die_with_parent, which a worker cannot always import itself
    except ImportError:
        pass


class WarmWorkers:
    """Worker processes kept alive between units, for a long-running caller (the editor server).

    ``analyse`` is ``analyse_all`` for one task, under the same guards (a worker past the time
    limit is killed, one that crashes is replaced: the next unit gets a fresh one), but the
    worker that analysed the last unit analyses the next: no fork and no start-up per change.
    Thread-safe: each call takes an idle set of workers (or starts one), so two units analysed
    at once never wait for each other.  Give each unit its options in ``Task.options``: the
    workers are kept per ``Settings`` (check or fix, time limit).
    """

    def __init__(self, keep: int = 2) -> None:
        import threading

        self.keep = keep  # idle workers kept per Settings
        self._lock = threading.Lock()
        self._idle: dict[tuple, list[_Workers]] = {}
        self._closed = False

    def analyse(self, task: Task, settings: Settings) -> tuple:
        # Settings holds Options, a plain (unhashable) dataclass: keyed by their fields' values.
        key = (settings.fix, settings.time_limit, settings.diff, settings.patch,
               tuple(vars(settings.options).items()))
        with self._lock:
            idle = self._idle.get(key)
            workers = idle.pop() if idle else None
        if workers is None:
            _prepare_fork()
            workers = _Workers(1, settings)
        try:
            ((outcome),) = list(workers.run([task]))
        except BaseException:
            workers.__exit__(None, None, None)
            raise
        with self._lock:
            kept = self._idle.setdefault(key, [])
            if not self._closed and len(kept) < self.keep:
                kept.append(workers)
                workers = None
        if workers is not None:
            workers.__exit__(None, None, None)
        return outcome

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle = [w for kept in self._idle.values() for w in kept]
            self._idle.clear()
        for workers in idle:
            workers.__exit__(None, None, None)


# A worker's own guard reports first; the parent kills it only when that failed (stuck in
# native code), so give it a moment.  The parent looks at its workers this often.
KILL_GRACE = 2.0
WATCH_INTERVAL = 0.25


class _Workers:
    def __init__(self, count: int, settings: Settings):
        self.count = count
        self.settings = settings
        import multiprocessing  # here: a run with nothing to analyse does not import it

        self.context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        self.idle: list = []
        self.busy: dict = {}  # connection -> (process, task index, start time)

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc) -> None:
        for conn, (process, _, _) in list(self.busy.items()):
            self._stop(process, conn)
        for process, conn in self.idle:
            try:
                conn.send(None)
            except OSError:
                pass
            process.join(timeout=1)
            self._stop(process, conn)

    def _start(self):
        parent, child = self.context.Pipe()
        # A forked worker inherits the parent's end of its own pipe and of every other worker's:
        # it closes them, so that it sees end-of-file once the parent is gone.
        inherited = [parent, *(conn for _, conn in self.idle), *self.busy] \
            if self.context.get_start_method() == "fork" else []
        process = self.context.Process(target=_worker_main, args=(child, self.settings, inherited, os.getpid()),
                                       daemon=True)
        process.start()
        child.close()
        return process, parent

    @staticmethod
    def _stop(process, conn) -> None:
        if process.is_alive():
            process.kill()
        process.join(timeout=5)
        conn.close()

    def run(self, tasks: list[Task]) -> Iterator[tuple]:
        from multiprocessing.connection import wait

        done: dict[int, tuple] = {}
        following = 0  # the next index to yield
        queued = 0  # the next index to hand out
        limit = self.settings.time_limit + KILL_GRACE if self.settings.time_limit else None
        while following < len(tasks):
            while queued < len(tasks) and len(self.busy) < self.count:
                process, conn = self.idle.pop() if self.idle else self._start()
                conn.send(tasks[queued])
                self.busy[conn] = (process, queued, self._clock(process))
                queued += 1
            ready = wait(list(self.busy) + [p.sentinel for p, _, _ in self.busy.values()],
                         WATCH_INTERVAL if limit is not None else None)
            for conn, (process, index, started) in list(self.busy.items()):
                if conn in ready:
                    try:
                        message = conn.recv()
                        if message == RESTARTED:  # the worker fell back to checking: a new time limit
                            self.busy[conn] = (process, index, self._clock(process))
                            continue
                        done[index] = message
                        del self.busy[conn]
                        self.idle.append((process, conn))
                        continue
                    except (EOFError, OSError):
                        pass  # died while sending: handled as a crash below
                if conn in ready or process.sentinel in ready:
                    process.join(timeout=5)
                    reason = _death_reason(process.exitcode)
                elif limit is not None and self._clock(process) - started >= limit:
                    reason = guards.time_error(self.settings.time_limit)
                else:
                    continue
                del self.busy[conn]
                self._stop(process, conn)
                done[index] = (_failed(tasks[index], reason), False)
            while following in done:
                yield done.pop(following)
                following += 1

    @staticmethod
    def _clock(process) -> float:
        """The worker's CPU time (its own guard counts CPU too); wall time where unknown."""
        cpu = guards.process_cpu_seconds(process.pid)
        return time.monotonic() if cpu is None else cpu


def _death_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"the parser crashed ({name}); the file is probably too deeply nested"
    return f"the analysis process exited unexpectedly (exit code {exitcode})"


def _failed(task: Task, reason: str):
    from fixorder.run.unit import UnitResult

    return UnitResult(findings=[not_analysed(task.display, reason)], error=reason, shown_source=task.text)


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this worker when the parent dies, even mid-analysis (Linux)."""
    try:
        import ctypes  # loaded by the parent before forking (analyse_all)

        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except Exception:  # noqa: BLE001 - no prctl here: the worker still ends at end-of-file on its pipe
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(0)


_PR_SET_PDEATHSIG = 1


def _worker_main(conn, settings: Settings, inherited=(), parent: int | None = None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's clean-up handler
    faulthandler.disable()  # a crash here is expected and reported by the parent, in one line
    for other in inherited:
        other.close()
    if parent is not None:
        _die_with_parent(parent)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        outcome, complete = analyse(task, settings, lambda: conn.send(RESTARTED))
        conn.send((detach(outcome), complete))
