"""worker.WarmWorkers (the editor server's workers): one process analyses unit after unit, under
the same guards as a run's workers; a worker killed past the time limit is replaced."""

from __future__ import annotations

import os

from fixorder.inputs.options import Options
from fixorder.run.worker import Settings, Task, WarmWorkers
from tests.cli_helpers import BROKEN_SCRIPT, FIXED_SCRIPT

# libcst's native parser takes minutes on this (tests/test_guards.py): only the parent's kill stops it.
STUCK_IN_NATIVE_CODE = "from tensorflow.keras import applications\nx = " + " + ".join(["1"] * 60000) + "\n"


def _worker_pids(workers: WarmWorkers) -> set[int]:
    return {process.pid for kept in workers._idle.values() for w in kept for process, _ in w.idle}


def test_one_worker_process_analyses_one_change_after_another():
    workers = WarmWorkers()
    settings = Settings(Options(), False, 20.0)
    try:
        first, complete = workers.analyse(Task("train.py", BROKEN_SCRIPT, Options()), settings)
        assert complete and [f.code for f in first.findings] == ["FO101"]
        (pid,) = _worker_pids(workers)
        assert pid != os.getpid()
        second, _ = workers.analyse(Task("train.py", FIXED_SCRIPT, Options()), settings)
        assert second.findings == []
        assert _worker_pids(workers) == {pid}, "the same process analysed the next change"
        # A unit's own options apply in the same worker: FO101 ignored, nothing reported.
        ignored, _ = workers.analyse(Task("train.py", BROKEN_SCRIPT, Options(select=frozenset({"FO102"}))), settings)
        assert ignored.findings == [] and _worker_pids(workers) == {pid}
    finally:
        workers.close()
    assert _worker_pids(workers) == set()


def test_a_worker_stuck_past_the_time_limit_is_killed_and_the_next_change_gets_a_new_one():
    workers = WarmWorkers()
    settings = Settings(Options(), False, 0.5)
    try:
        stuck, complete = workers.analyse(Task("slow.py", STUCK_IN_NATIVE_CODE, Options()), settings)
        assert not complete and [f.code for f in stuck.findings] == ["FO001"] and "time limit" in stuck.error
        after, complete = workers.analyse(Task("train.py", BROKEN_SCRIPT, Options()), settings)
        assert complete and [f.code for f in after.findings] == ["FO101"]
    finally:
        workers.close()
