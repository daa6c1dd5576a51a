"""Per-file limits, so that one pathological file costs a one-line error instead of the run.

libcst parses a 13,000-line file in seconds and resolves its metadata in several more, and
deep nesting can exhaust the recursion limit: a file over the size limit is skipped before
parsing, and analysis that runs past the time limit is interrupted.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

# A hand-written training script is a few hundred lines (10-30 kB); generated code is larger.
DEFAULT_MAX_BYTES = 1_000_000
DEFAULT_TIME_LIMIT = 20.0  # seconds for one file's analysis (and fixes)


class TimeLimitExceeded(Exception):
    """Raised inside the analysis when it ran past its time limit."""


def size_error(size: int, limit: int) -> str | None:
    """The one-line reason to skip a file of ``size`` bytes, or None when it is within the limit."""
    if limit and size > limit:
        return f"skipped: {size:,} bytes is over the size limit of {limit:,} bytes"
    return None


def time_error(limit: float) -> str:
    return f"skipped: analysis took longer than the time limit of {limit:g} s"


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeLimitExceeded in the block once ``seconds`` of wall time have passed.

    Uses SIGALRM, so it works in the main thread on POSIX (the CLI and each pool worker);
    elsewhere the block runs unguarded.  The parser is native code: the alarm is delivered
    when control returns to Python, so the size limit is what bounds the parse itself.
    """
    usable = seconds and seconds > 0 and hasattr(signal, "setitimer") \
        and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def on_alarm(signum, frame):
        raise TimeLimitExceeded()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
