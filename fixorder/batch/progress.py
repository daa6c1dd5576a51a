"""Progress of a batch on stderr: one status line on a terminal, one line per repository elsewhere.

In CI (no terminal) each finished repository is a line of its own as it happens, so a log shows
how far a run got even when it is stopped.
"""

from __future__ import annotations

import sys
from collections import Counter

import click


class Progress:
    def __init__(self, total: int, names: dict[str, str], stream=None, active: str = "running"):
        # A cluster takes every task at once and says nothing of which one runs: "in flight" there.
        self.total, self.names, self.active = total, names, active
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.counts: Counter = Counter()
        self.running = 0
        self.finished = 0

    def _counts(self) -> str:
        return f"{self.counts['done']} done, {self.counts['skipped']} skipped, {self.counts['failed']} failed, " \
               f"{self.running} {self.active}"

    def started(self, spec: str) -> None:
        self.running += 1
        if self.tty:
            self._status(f"checking {self.names.get(spec, spec)}")

    def finished_one(self, spec: str, status: str, reason: str) -> None:
        self.running = max(0, self.running - 1)
        self.finished += 1
        self.counts[status] += 1
        name = self.names.get(spec, spec)
        if self.tty:
            self._status(f"{status} {name}")
        else:
            click.echo(f"fixorder batch: [{self.finished}/{self.total}] {status} {name}"
                       f"{': ' + reason if reason else ''} ({self._counts()})", file=self.stream)
            self.stream.flush()

    def _status(self, current: str) -> None:
        line = f"[{self.finished}/{self.total}] {self._counts()}; {current}"
        width = 120
        click.echo("\r\x1b[2K" + line[:width], nl=False, file=self.stream)

    def close(self) -> None:
        if self.tty and self.total:
            click.echo("", file=self.stream)
