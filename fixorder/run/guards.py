"""Per-file limits, so that one pathological file costs a one-line error instead of the run.

libcst parses a 13,000-line file in seconds and resolves its metadata in several more, and
deep nesting can exhaust the recursion limit: a file over the size limit is skipped before
parsing, and analysis that runs past the time limit is interrupted.
"""

from __future__ import annotations

import os
import signal
import threading
from contextlib import contextmanager
from typing import Iterator

# A hand-written training script is a few hundred lines (10-30 kB); generated code is larger.
DEFAULT_MAX_BYTES = 1_000_000
# CPU seconds for one file's analysis (and fixes).  CPU time, not wall time, so that a busy
# machine (CI, other hooks) does not turn a slow-but-fine file into an error.
DEFAULT_TIME_LIMIT = 20.0


class TimeLimitExceeded(Exception):
    """Raised inside the analysis when it ran past its time limit."""


def size_error(size: int, limit: int) -> str | None:
    """The one-line reason to skip a file of ``size`` bytes, or None when it is within the limit."""
    if limit and size > limit:
        return f"skipped: {size:,} bytes is over the size limit of {limit:,} bytes"
    return None


# A notebook file is read up to this size (saved outputs, images included); its code is then
# held to the ordinary limit.
MAX_NOTEBOOK_FILE_BYTES = 64_000_000


def notebook_size_error(text: str, limit: int) -> str | None:
    """``size_error`` for a notebook: the size of its code cells, not of its JSON."""
    from fixorder.inputs import notebooks

    try:
        code = notebooks.load(text).program
    except notebooks.NotebookError:
        return None  # the analysis reports the notebook's damage as FO001
    size = len(code.encode("utf-8", "surrogatepass"))
    if limit and size > limit:
        return f"skipped: the notebook's code is {size:,} bytes, over the size limit of {limit:,} bytes"
    return None


def time_error(limit: float) -> str:
    return f"skipped: analysis took longer than the time limit of {limit:g} s (CPU)"


def process_cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) used so far by process ``pid``; None where /proc is missing."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeLimitExceeded in the block once it has used ``seconds`` of CPU time.

    Uses SIGPROF, so it works in the main thread on POSIX (each worker process); elsewhere
    the block runs unguarded.  The parser is native code and the signal is handled only when
    control returns to Python: the parent process kills a worker stuck there (worker.py).
    """
    usable = seconds and seconds > 0 and hasattr(signal, "setitimer") \
        and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def on_alarm(signum, frame):
        raise TimeLimitExceeded()

    previous = signal.signal(signal.SIGPROF, on_alarm)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
