"""``fixorder batch`` at organisation scale: a local pool vs a Dask LocalCluster vs a shell loop.

    python benchmarks/batch_bench.py                # 200 repositories, 2 jobs / 2 workers
    python benchmarks/batch_bench.py --repos 50 --keep /tmp/org

Generates ``--repos`` git repositories (three Keras scripts each; one in ten has a FO101 bug),
then times, in one run:

- ``fixorder batch -j JOBS`` (the local pool),
- ``fixorder batch --scheduler`` on a ``LocalCluster`` of JOBS single-thread workers on
  127.0.0.1 (cluster start-up is timed apart),
- a plain shell loop running ``fixorder --output-format json REPO`` once per repository,

and prints repositories per second and the ratios, then the per-repository overhead measured
on a sample: a shallow ``git clone`` of a ``file://`` remote, the start-up of a Python process
that imports fixorder, and the analysis of one repository inside an already started process.
Speed targets are read from this output, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GIT_ENV = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com", "GIT_COMMITTER_NAME": "bench",
           "GIT_COMMITTER_EMAIL": "bench@example.com"}

CLEAN = '''\
import tensorflow as tf
from tensorflow import keras

base = keras.applications.{model}(include_top=False, weights=None, input_shape=(224, 224, 3))
inputs = keras.Input(shape=(224, 224, 3))
x = keras.applications.{module}.preprocess_input(inputs)
x = base(x, training=False)
outputs = keras.layers.Dense({classes})(keras.layers.GlobalAveragePooling2D()(x))
model = keras.Model(inputs, outputs)
'''
BROKEN = '''\
from tensorflow import keras
from tensorflow.keras import layers

augment = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.{seed})])
base = keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False, weights="imagenet")
inputs = keras.Input(shape=(160, 160, 3))
x = augment(inputs)
x = base(x, training=False)
model = keras.Model(inputs, x)
'''
UTIL = "def batches(items, size):\n    return [items[i:i + size] for i in range(0, len(items), size)]\n"
MODELS = [("ResNet50", "resnet50"), ("EfficientNetB0", "efficientnet"), ("VGG16", "vgg16")]


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, **GIT_ENV})


def generate(root: Path, count: int) -> list[Path]:
    repos = []
    for i in range(count):
        repo = root / f"repo{i:04d}"
        (repo / "src").mkdir(parents=True)
        model, module = MODELS[i % len(MODELS)]
        (repo / "src" / "model.py").write_text(CLEAN.format(model=model, module=module, classes=2 + i % 7))
        (repo / "src" / "util.py").write_text(UTIL)
        (repo / "train.py").write_text(BROKEN.format(seed=1 + i % 9) if i % 10 == 0 else UTIL)
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "init")
        repos.append(repo)
    return repos


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float]:
    """Wall seconds, and CPU seconds of the command and every process it waited for."""
    cpu, start = children_cpu(), time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"benchmark command failed ({proc.returncode}): {' '.join(command[:4])}...\n{proc.stderr[-2000:]}")
    return elapsed, children_cpu() - cpu


def fixorder_command() -> list[str]:
    script = Path(sys.executable).parent / "fixorder"
    return [str(script)] if script.exists() else [sys.executable, "-m", "fixorder"]


def report_findings(report: Path) -> int:
    data = json.loads(report.read_text())["repositories"]
    return sum(sum(entry["findings"].values()) for entry in data.values())


def overhead(root: Path, repos: list[Path], sample: int) -> dict[str, float]:
    """Median seconds per repository of each part, on ``sample`` repositories."""
    clones, starts, scans = [], [], []
    remote_root = root / "remotes"
    for repo in repos[:sample]:
        bare = remote_root / f"{repo.name}.git"
        git(root, "clone", "-q", "--bare", str(repo), str(bare))
        target = root / "clones" / repo.name
        start = time.perf_counter()
        git(root, "clone", "-q", "--depth", "1", bare.as_uri(), str(target))
        clones.append(time.perf_counter() - start)
        starts.append(timed([sys.executable, "-c", "import fixorder.run.runner, fixorder.batch.worker"], root)[0])
    from fixorder.batch.worker import scan  # analysis only: this process has started already

    cwd = os.getcwd()
    try:
        for repo in repos[:sample]:
            start = time.perf_counter()
            scan(repo, None, None, None)
            scans.append(time.perf_counter() - start)
    finally:
        os.chdir(cwd)
    return {"shallow clone (file://)": statistics.median(clones),
            "process start-up + import": statistics.median(starts),
            "analysis (3 files)": statistics.median(scans)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repos", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2, help="pool jobs and cluster workers")
    parser.add_argument("--sample", type=int, default=10, help="repositories timed for the overhead parts")
    parser.add_argument("--keep", type=Path, help="generate the repositories here and keep them")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="fixorder-batch-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        print(f"generating {args.repos} repositories in {root} ...", flush=True)
        repos = generate(root / "org", args.repos)
        names = [str(r) for r in repos]
        fixorder = fixorder_command()
        results = {}

        results["local pool"] = timed([*fixorder, "batch", "-j", str(args.jobs), "--report", "pool.json", *names],
                                      root)
        findings = report_findings(root / "pool.json")

        from distributed import Client, LocalCluster

        start, cpu = time.perf_counter(), children_cpu()
        cluster = LocalCluster(n_workers=args.jobs, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None, silence_logs=50)
        Client(cluster).wait_for_workers(args.jobs)
        cluster_start = time.perf_counter() - start
        try:
            wall, _ = timed([*fixorder, "batch", "--scheduler", cluster.scheduler_address, "--report", "dask.json",
                             *names], root)
        finally:
            cluster.close()
        # The workers' CPU (theirs and their scans') is known once they are reaped, start-up included.
        results[f"LocalCluster({args.jobs})"] = (wall, children_cpu() - cpu)
        same = json.loads((root / "pool.json").read_text()) == json.loads((root / "dask.json").read_text())

        loop = "for repo in \"$@\"; do \"$FIXORDER\" --output-format json \"$repo\" > /dev/null; done"
        results["shell loop"] = timed(["bash", "-c", loop, "loop", *names], root,
                                      env={"FIXORDER": " ".join(fixorder)})

        print(f"\n{args.repos} repositories, {findings} findings; {os.cpu_count()} CPUs; "
              f"pool -j {args.jobs}, cluster {args.jobs} workers x 1 thread (start-up {cluster_start:.1f} s, "
              f"not counted); reports identical: {same}\n")
        shell = results["shell loop"]
        print(f"machine load average at the end: {os.getloadavg()[0]:.1f} (CPU seconds are steadier than wall)")
        print(f"{'engine':<18} {'wall s':>8} {'repos/s':>8} {'vs loop':>8} {'CPU s':>8} {'CPU ms/repo':>12} "
              f"{'CPU vs loop':>12}")
        for engine, (seconds, cpu) in results.items():
            print(f"{engine:<18} {seconds:8.1f} {args.repos / seconds:8.2f} {shell[0] / seconds:7.2f}x {cpu:8.1f} "
                  f"{cpu / args.repos * 1000:12.0f} {shell[1] / cpu:11.2f}x")
        print(f"\nper repository (median of {args.sample}):")
        for part, seconds in overhead(root, repos, args.sample).items():
            print(f"  {part:<28} {seconds * 1000:7.0f} ms")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
