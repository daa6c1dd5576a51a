"""One batch, start to end: resume from the report, run the engine, record as results arrive."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from fixorder.batch import engines
from fixorder.batch.model import FAILED, SKIPPED, BatchOptions
from fixorder.batch.progress import Progress
from fixorder.batch.report import Report
from fixorder.batch.sources import Source


def patch_names(sources: list[Source]) -> dict[str, str]:
    """A patch file name per repository: its folder or URL's last part, numbered when two share one."""
    names: dict[str, str] = {}
    used: Counter = Counter()
    for source in sources:
        base = (source.url or source.spec).rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        base = base.removesuffix(".git") or "repo"
        used[base] += 1
        names[source.spec] = base if used[base] == 1 else f"{base}-{used[base]}"
    return names


def run_batch(sources: list[Source], options: BatchOptions, *, jobs: int, report_path: Path | None,
              patch_dir: Path | None = None, scheduler: str | None = None, retry_failed: bool = False,
              progress_stream=None) -> tuple[list[dict], list[dict]]:
    """Process the sources; returns (this run's table rows, the report's records of the sources)."""
    report = Report(report_path)
    names = patch_names(sources)
    rows: dict[str, dict] = {}
    todo: list[str] = []
    for source in sources:
        recorded = report.repositories.get(source.spec)
        if recorded is not None and not (retry_failed and recorded.get("status") == FAILED):
            status = recorded.get("status", "?")
            rows[source.spec] = {**recorded, "status": SKIPPED, "reason": f"already {status} (in the report)"}
        else:
            todo.append(source.spec)
    progress = Progress(len(todo), {s.spec: names[s.spec] for s in sources}, progress_stream,
                        "in flight" if scheduler else "running")

    def on_result(record: dict) -> None:
        patch = record.pop("patch_bytes", b"")
        if patch and patch_dir is not None:
            patch_dir.mkdir(parents=True, exist_ok=True)
            target = patch_dir / f"{names[record['path']]}.patch"
            target.write_bytes(patch)
            record["patch"] = str(target)
        rows[record["path"]] = record
        report.record(record)
        progress.finished_one(record["path"], record["status"], record["reason"])

    try:
        if scheduler:
            engines.run_dask(scheduler, todo, options, progress.started, on_result)
        else:
            engines.run_local(todo, options, jobs, progress.started, on_result)
    finally:
        progress.close()
    ordered = [rows[s.spec] for s in sources]
    return ordered, [report.repositories.get(s.spec, rows[s.spec]) for s in sources]


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)

