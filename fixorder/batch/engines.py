"""Where the per-repository work runs: a local pool, or a ``dask.distributed`` cluster.

Both call ``process_repo`` with the same arguments and hand each record to ``on_result`` as it
arrives, so the report is written as the run goes and the two engines give the same records.
"""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict
from typing import Callable

from fixorder.batch.model import FAILED, BatchOptions, InputError, RepoOutcome
from fixorder.batch.repo import process_repo

OnStart = Callable[[str], None]
OnResult = Callable[[dict], None]


def failed_record(spec: str, reason: str) -> dict:
    return {**asdict(RepoOutcome(spec, FAILED, reason)), "patch_bytes": b""}


def run_local(specs: list[str], options: BatchOptions, jobs: int, on_start: OnStart, on_result: OnResult) -> None:
    """``jobs`` repositories at a time; each one's scan runs in a process of its own."""
    lock = threading.Lock()

    def one(spec: str) -> dict:
        with lock:
            on_start(spec)
        return process_repo(spec, options)

    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        futures = {pool.submit(one, spec): spec for spec in specs}
        for future in as_completed(futures):
            try:
                record = future.result()
            except Exception as exc:  # a bug must not stop the other repositories
                record = failed_record(futures[future], f"internal error: {exc!r}")
            on_result(record)
    except KeyboardInterrupt:
        # Ctrl-C: start nothing new; what is recorded stays recorded, a re-run resumes.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def run_dask(address: str, specs: list[str], options: BatchOptions, on_start: OnStart, on_result: OnResult) -> None:
    """One task per repository on the cluster at ``address``.

    A worker that dies is replaced and its task run again by the scheduler, up to its
    ``distributed.scheduler.allowed-failures`` (3 by default); a repository whose task killed
    that many workers is recorded as failed and the run goes on.
    """
    try:
        from distributed import Client, KilledWorker, as_completed as completed
    except ImportError as exc:
        raise InputError("--scheduler needs dask.distributed: pip install 'fixorder[batch]'") from exc
    try:
        client = Client(address, timeout="30s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"--scheduler {address}: cannot connect: {exc}") from exc
    run_id = uuid.uuid4().hex[:8]
    with client:
        futures = {}
        for i, spec in enumerate(specs):
            # pure=False: the same repository is fetched and checked again on every run.
            future = client.submit(process_repo, spec, options, key=f"fixorder-batch-{run_id}-{i}", pure=False)
            futures[future] = spec
            on_start(spec)
        for future in completed(futures):
            spec = futures[future]
            try:
                record = future.result()
            except KilledWorker as exc:
                record = failed_record(spec, f"the Dask workers running it died ({exc.allowed_failures + 1} "
                                             f"attempts; last on {exc.last_worker.address})")
            except Exception as exc:
                record = failed_record(spec, f"dask task failed: {exc!r}")
            on_result(record)
