"""``fixorder batch --scheduler`` on a real ``dask.distributed.LocalCluster`` (issue 14, items 2 and 4).

Two worker processes on 127.0.0.1; a worker is killed (SIGKILL) while it runs a repository.  The
distributed report must equal a local run's, byte for byte once parsed.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from tests.batch_helpers import GIT_ENV, git, make_bare_remote, make_repo
from tests.cli_helpers import BROKEN_SCRIPT, CLEAN_SCRIPT, ROOT, fixorder

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    import dask

    saved = dict(os.environ)
    # Workers inherit this environment: fixed commit dates make --branch commits comparable.
    os.environ.update(GIT_ENV)
    os.environ["PYTHONPATH"] = str(ROOT)
    # One task at a time per worker, so a killed worker takes exactly one repository with it.
    with dask.config.set({"distributed.scheduler.worker-saturation": 1.0}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address=None, silence_logs=50) as local:
            with distributed.Client(local) as client:
                yield local, client
    os.environ.clear()
    os.environ.update(saved)


def _repos(tmp_path) -> list[str]:
    """Six bare remotes (by file:// URL and by path) and two local checkouts, most with a finding."""
    specs = []
    for i in range(6):
        files = {"train.py": BROKEN_SCRIPT if i % 3 else CLEAN_SCRIPT, "lib/util.py": "x = 1\n"}
        remote = make_bare_remote(tmp_path, f"svc{i}", files)
        specs.append(remote.as_uri() if i % 2 else str(remote))
    for i in range(2):
        make_repo(tmp_path, f"local{i}", {"train.py": BROKEN_SCRIPT})
        specs.append(f"local{i}")
    return specs


def _reset(tmp_path):
    """Undo a run's effects so the next one starts from the same state."""
    shutil.rmtree(tmp_path / "work", ignore_errors=True)
    shutil.rmtree(tmp_path / "patches", ignore_errors=True)
    for i in range(2):
        subprocess.run(["git", "branch", "-D", "fixorder/fix"], cwd=tmp_path / f"local{i}", capture_output=True)


ARGS = ["--branch", "fixorder/fix", "--workdir", "work", "--patch-dir", "patches"]


def _busy_worker(client, deadline: float) -> str:
    while time.monotonic() < deadline:
        busy = [address for address, keys in client.processing().items()
                if any(str(k).startswith("fixorder-batch-") for k in keys)]
        if busy:
            return busy[0]
        time.sleep(0.02)
    raise AssertionError("no worker ever ran a repository")


def _kill_worker_mid_run(client, command, cwd) -> tuple[subprocess.CompletedProcess, str]:
    run = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    victim = _busy_worker(client, time.monotonic() + 120)
    pid = client.run(os.getpid, workers=[victim])[victim]
    os.kill(pid, signal.SIGKILL)
    out, err = run.communicate(timeout=300)
    return subprocess.CompletedProcess(command, run.returncode, out, err), victim


def test_a_cluster_run_with_a_killed_worker_gives_the_local_report(tmp_path, cluster):
    local_cluster, client = cluster
    specs = _repos(tmp_path)
    local = fixorder("batch", *ARGS, "--report", "local.json", *specs, cwd=tmp_path)
    assert local.returncode == 0, local.stdout + local.stderr
    local_patches = {p.name: p.read_bytes() for p in (tmp_path / "patches").iterdir()}
    _reset(tmp_path)

    command = [sys.executable, "-m", "fixorder", "batch", *ARGS, "--report", "dask.json",
               "--scheduler", local_cluster.scheduler_address, *specs]
    proc, victim = _kill_worker_mid_run(client, command, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert victim not in client.scheduler_info()["workers"]  # the worker really died
    client.wait_for_workers(2, timeout=60)  # and the nanny started a new one
    assert json.loads((tmp_path / "dask.json").read_text()) == json.loads((tmp_path / "local.json").read_text())
    assert {p.name: p.read_bytes() for p in (tmp_path / "patches").iterdir()} == local_patches
    data = json.loads((tmp_path / "dask.json").read_text())["repositories"]
    assert sum(1 for entry in data.values() if entry["commit"]) == 6  # every broken repository committed
    # The table printed is the same too.
    assert proc.stdout == local.stdout


def test_the_environment_variable_names_the_scheduler(tmp_path, cluster):
    local_cluster, client = cluster
    make_repo(tmp_path, "one", {"train.py": BROKEN_SCRIPT})
    env = {**os.environ, "FIXORDER_SCHEDULER": local_cluster.scheduler_address}
    proc = subprocess.run([sys.executable, "-m", "fixorder", "batch", "--report", "report.json", "one"],
                          cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads((tmp_path / "report.json").read_text())["repositories"][str(tmp_path / "one")]["findings"] \
        == {"FO101": 1}
    # The work ran on the cluster: the scheduler saw a fixorder task.
    assert any(str(key).startswith("fixorder-batch") for key in client.run_on_scheduler(
        lambda dask_scheduler: list(dask_scheduler.task_prefixes)))


def test_a_repository_that_keeps_killing_workers_is_recorded_failed_and_retried(tmp_path, cluster):
    local_cluster, client = cluster
    scheduler = local_cluster.scheduler  # in this process: its retry bound is set for this test
    saved, scheduler.allowed_failures = scheduler.allowed_failures, 0
    try:
        specs = [f"r{i}" for i in range(4)]
        for name in specs:
            make_repo(tmp_path, name, {"train.py": BROKEN_SCRIPT})
        command = [sys.executable, "-m", "fixorder", "batch", "--report", "report.json", "--scheduler",
                   local_cluster.scheduler_address, *specs]
        proc, _ = _kill_worker_mid_run(client, command, tmp_path)
    finally:
        scheduler.allowed_failures = saved
    assert proc.returncode == 2, proc.stdout + proc.stderr  # the run went on and finished
    data = json.loads((tmp_path / "report.json").read_text())["repositories"]
    failed = [entry for entry in data.values() if entry["status"] == "failed"]
    # The repository on the killed worker (and one the scheduler had just handed it, if any).
    assert len(data) == 4 and 1 <= len(failed) <= 2
    assert all(entry["reason"] == failed[0]["reason"] for entry in failed)
    assert failed[0]["reason"].startswith("the Dask workers running it died (1 attempts; last on tcp://127.0.0.1:")
    assert "failed" in proc.stdout
    client.wait_for_workers(2, timeout=60)
    retried = fixorder("batch", "--retry-failed", "--report", "report.json", "--scheduler",
                       local_cluster.scheduler_address, *specs, cwd=tmp_path)
    assert retried.returncode == 0, retried.stdout + retried.stderr
    assert retried.stdout.count("already done (in the report)") == 4 - len(failed)
    assert all(entry["status"] == "done" for entry in
               json.loads((tmp_path / "report.json").read_text())["repositories"].values())


def test_an_unreachable_scheduler_is_one_line_and_exit_2(tmp_path):
    make_repo(tmp_path, "one", {"train.py": CLEAN_SCRIPT})
    proc = fixorder("batch", "--scheduler", "tcp://127.0.0.1:9", "one", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].startswith("Error: --scheduler tcp://127.0.0.1:9: cannot connect")
    assert not (tmp_path / "report.json").exists()
    assert git(tmp_path / "one", "branch").strip() == "* main"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_readme_commands_dask_scheduler_and_dask_worker(tmp_path):
    """The README's set-up with the real ``dask`` command line, on 127.0.0.1."""
    dask_cli = os.path.join(os.path.dirname(sys.executable), "dask")
    if not os.path.exists(dask_cli):
        pytest.skip("the dask command line is not installed next to this Python")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, **GIT_ENV}
    scheduler = subprocess.Popen([dask_cli, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                                 cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    worker = subprocess.Popen([dask_cli, "worker", address, "--nworkers", "1", "--nthreads", "1", "--host", "127.0.0.1",
                               "--no-dashboard"], cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=env)
    try:
        with distributed.Client(address, timeout="60s") as client:
            client.wait_for_workers(1, timeout=60)
        remote = make_bare_remote(tmp_path, "svc", {"train.py": BROKEN_SCRIPT})
        proc = fixorder("batch", "--scheduler", address, "--workdir", "work", "--branch", "fixorder/fix", "--push",
                        "--report", "report.json", remote.as_uri(), cwd=tmp_path)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        entry = json.loads((tmp_path / "report.json").read_text())["repositories"][remote.as_uri()]
        assert entry["status"] == "done" and entry["pushed_to"] == remote.as_uri()
        assert git(remote, "rev-parse", "fixorder/fix").strip() == entry["commit"]
    finally:
        for process in (worker, scheduler):
            process.terminate()
        for process in (worker, scheduler):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)
