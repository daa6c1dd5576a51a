"""A killed or interrupted run leaks nothing: workers die with their parent, SIGTERM and SIGINT
clean up, and a temporary file that a SIGKILL left behind is removed (or named) by the next
run (issue 16, item 4).  Each test runs the real command line over a real tree."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli_helpers import BROKEN_SCRIPT, FIXED_SCRIPT, ROOT, fixorder

# Each takes the parser several CPU seconds (a long + chain), so the run is still busy when
# the signal arrives; the fixable scripts around them show what a clean exit keeps.
SLOW = "from keras import applications\nx = applications" + " + 1" * 1500 + "\n"


def _tree(tmp_path: Path) -> Path:
    for i in range(20):
        (tmp_path / f"train_{i:02}.py").write_text(BROKEN_SCRIPT)
    for i in range(6):
        (tmp_path / f"slow_{i}.py").write_text(SLOW)
    return tmp_path


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start_with_workers(tmp_path: Path) -> tuple[subprocess.Popen, list[int]]:
    process = subprocess.Popen([sys.executable, "-m", "fixorder", "--no-cache", "--fix", "-j", "2", "."],
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=dict(os.environ, PYTHONPATH=str(ROOT)))
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        time.sleep(0.05)
        workers = _children(process.pid)
        assert process.poll() is None, process.communicate()
    assert len(workers) == 2, "the pool never started"
    return process, workers


def _wait_gone(pids: list[int], seconds: float = 20) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.05)
    return [p for p in pids if _alive(p)]


def _every_file_whole(tmp_path: Path) -> None:
    assert not list(tmp_path.glob(".*.fixorder.tmp"))
    for path in tmp_path.glob("train_*.py"):
        assert path.read_text() in (BROKEN_SCRIPT, FIXED_SCRIPT)


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["SIGTERM", "SIGINT"])
def test_sigterm_and_sigint_stop_the_workers_and_leave_no_temporary_file(tmp_path, signum, code):
    process, workers = _start_with_workers(_tree(tmp_path))
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code, stderr
    assert "Traceback" not in stderr
    assert stderr.splitlines()[-1].startswith(("fixorder: terminated;", "fixorder: interrupted;"))
    assert _wait_gone(workers) == []
    _every_file_whole(tmp_path)


def test_workers_die_when_their_parent_is_killed(tmp_path):
    process, workers = _start_with_workers(_tree(tmp_path))
    process.kill()
    process.wait(timeout=30)
    assert _wait_gone(workers) == []
    for path in tmp_path.glob("train_*.py"):
        assert path.read_text() in (BROKEN_SCRIPT, FIXED_SCRIPT)


def _leftover(tmp_path: Path, age: float) -> Path:
    path = tmp_path / ".train.py.k3j9x_0a.fixorder.tmp"
    path.write_text(FIXED_SCRIPT)
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_a_stale_temporary_file_is_named_by_check_and_removed_by_fix(tmp_path):
    (tmp_path / "train.py").write_text(BROKEN_SCRIPT)
    stale = _leftover(tmp_path, age=3600)
    other = tmp_path / ".notes.txt.fixorder.tmp.bak"  # not fixorder's naming: never touched
    other.write_text("mine\n")
    checked = fixorder("--no-cache", "--output-format", "concise", ".", cwd=tmp_path)
    assert checked.returncode == 1
    assert f"fixorder: warning: {stale.name}: temporary file left by an interrupted fixorder run; --fix removes it" \
        in checked.stderr.splitlines()
    assert stale.exists()
    fixed = fixorder("--no-cache", "--fix", ".", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stderr
    assert f"fixorder: warning: {stale.name}: removed a temporary file left by an interrupted fixorder run" \
        in fixed.stderr.splitlines()
    assert not stale.exists() and other.read_text() == "mine\n"
    assert (tmp_path / "train.py").read_text() == FIXED_SCRIPT


def test_a_fresh_temporary_file_may_belong_to_a_running_fixorder_and_is_left_alone(tmp_path):
    (tmp_path / "train.py").write_text(BROKEN_SCRIPT)
    fresh = _leftover(tmp_path, age=1)
    fixed = fixorder("--no-cache", "--fix", ".", cwd=tmp_path)
    assert fixed.returncode == 0 and "temporary file" not in fixed.stderr
    assert fresh.exists()
