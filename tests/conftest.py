from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TESTDATA = ROOT / "testdata"

# TensorFlow start-up chatter is noise in test output.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def cores_for_this_process() -> int:
    """The cores one test process may keep busy with children of its own (TensorFlow runs): all
    of them serially, its share under pytest-xdist, whose workers run at once (two TensorFlow
    modules on two workers would otherwise start four TensorFlow processes on two cores)."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT") or 1)
    return max(1, len(os.sched_getaffinity(0)) // workers)


@pytest.fixture
def run_cli(tmp_path):
    """Run the real command line in a subprocess; returns CompletedProcess."""
    import subprocess

    def run(*args: str, cwd: Path | None = None, input: str | None = None):
        return subprocess.run([sys.executable, "-m", "fixorder", *args], cwd=cwd or tmp_path,
                              capture_output=True, text=True, input=input)

    return run


# Under pytest-xdist, `-n 2 --dist loadfile` (README "Testing") runs each test module on one
# worker, so a module's module-scoped fixtures (a Dask cluster, a pre-commit environment, a
# TensorFlow child) are set up once.  Not `--dist loadgroup`: pytest 9.2 keeps a node's id in
# `Node._id`, pytest-xdist 3.8 still appends the group to `_nodeid`, so xdist_group marks are
# silently ignored (test_action.py's two tests then ran on both workers, each building ROOT at
# once, and one install failed).


@pytest.fixture
def builds_this_checkout():
    """Held while a test builds this checkout in place (`pip install ROOT` and `python -m build
    ROOT` write ROOT/build and ROOT/*.egg-info): two builds at once, on two workers, race on
    those folders.  The lock is on the checkout's own pyproject.toml, so no file is added."""
    import fcntl

    with open(ROOT / "pyproject.toml", "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        yield
