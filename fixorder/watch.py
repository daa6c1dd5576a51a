"""``--watch``: run the check again whenever a checked file (or the configuration) changes.

Polling, not file-system events: it needs nothing installed and works on every platform
and network file system; one stat per file every ``interval`` seconds is cheap next to a run.
"""

from __future__ import annotations

import os
import time
from typing import Callable

import click

from fixorder.inputs.discovery import DiscoveryOptions, discover_names


def snapshot(paths: list[str], discovery: DiscoveryOptions, config_file) -> dict[str, tuple[int, int]]:
    files, _ = discover_names(paths, discovery)
    state = {}
    for name in [*files, *([str(config_file)] if config_file else [])]:
        try:
            st = os.stat(name)
        except OSError:
            continue
        state[name] = (st.st_mtime_ns, st.st_size)
    return state


def watch(run_once: Callable[[], int], paths: list[str], discovery: DiscoveryOptions, config_file=None,
          interval: float = 0.5, max_runs: int | None = None) -> int:
    """Run, then run again after each change; returns the last run's exit code (after ``max_runs``)."""
    runs, code, previous = 0, 0, None
    try:
        while True:
            current = snapshot(paths, discovery, config_file)
            if current != previous:
                if runs:
                    click.echo("fixorder: files changed; checking again.", err=True)
                code = run_once()
                runs += 1
                if max_runs is not None and runs >= max_runs:
                    return code
                click.echo("fixorder: watching for changes (Ctrl-C stops).", err=True)
                previous = snapshot(paths, discovery, config_file)  # --fix may have written files
            time.sleep(interval)
    except KeyboardInterrupt:
        return code
