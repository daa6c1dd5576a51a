"""Run ``fixorder --fix`` over real code nobody here wrote, and prove it lost nothing.

Copies the installed packages (tensorflow, keras and tf_keras by default: thousands of
files), runs the real command line with ``--fix --unsafe-fixes`` over every ``.py`` file of the
copy, then checks:

* the run finished without a traceback, and every error line names one file;
* every file whose bytes changed had an applicable fix, parses, compiles, and has no
  undefined name (pyflakes) that it did not have before; its mode is unchanged;
* every other file is byte-identical, and no temporary file was left behind.

Prints counts and time; exits 1 when any check fails.

    python benchmarks/sweep.py                       # the three packages
    python benchmarks/sweep.py --packages keras --sample 200 --seed 1
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import importlib.util
import json
import os
import random
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fixorder.run.engine import Options, applicable, check_source  # noqa: E402
from fixorder.inputs.files import SourceError, decode_source  # noqa: E402
from fixorder.inputs.prefilter import may_have_findings, names_may_have_findings  # noqa: E402
from fixorder.rules import RULE_MODULES  # noqa: E402

DEFAULT_PACKAGES = ("tensorflow", "keras", "tf_keras")


def package_dir(name: str) -> Path:
    """Where an installed package lives, found without importing it (TensorFlow takes seconds)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"sweep: package {name!r} is not installed")
    return Path(list(spec.submodule_search_locations)[0])


def copy_packages(names: list[str], into: Path) -> list[Path]:
    roots = []
    for name in names:
        target = into / name
        shutil.copytree(package_dir(name), target, symlinks=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyc"))
        roots.append(target)
    return roots


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run_chunk(files: list[Path], cwd: Path, report: Path, timeout: float) -> subprocess.CompletedProcess | None:
    """One real ``fixorder --fix`` process over ``files``; None when it ran past ``timeout``.

    A process killed at the timeout is itself a test: atomic writes mean that no file it was
    working on may be left partial, which the checks after the run verify.
    """
    args = [sys.executable, "-m", "fixorder", "--fix", "--unsafe-fixes", "--no-cache",
            "--output-format", "json", "-o", str(report), *[str(f.relative_to(cwd)) for f in files]]
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1")
    try:
        return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None


def error_kind(line: str) -> str:
    reason = line.split(": ", 3)[-1]
    for kind in ("size limit", "syntax error", "binary file", "not valid", "internal error", "time limit",
                 "cannot read", "not a regular file", "changed on disk", "read-only", "hard links"):
        if kind in reason:
            return kind
    return reason[:60]


def slowest_files(files: list[Path], work: Path, before: dict[Path, bytes], count: int) -> list[tuple[str, float]]:
    """CPU seconds of ``check_source`` on each file the pre-filter lets through (the only files
    the run parses), slowest first: the command line reports no per-file times."""
    options = Options(frozenset(RULE_MODULES), "insert", True)
    times = []
    for path in files:
        raw = before[path]
        if not may_have_findings(raw):
            continue
        try:
            text = decode_source(path, raw).text
        except SourceError:
            continue
        if not names_may_have_findings(text):
            continue
        started = time.process_time()
        check_source(str(path), text, options)
        times.append((str(path.relative_to(work)), round(time.process_time() - started, 2)))
    return sorted(times, key=lambda t: -t[1])[:count]


def passes_prefilter(path: Path, raw: bytes) -> bool:
    """Both pre-filter stages let the file through: the run parses and analyses it."""
    if not may_have_findings(raw):
        return False
    try:
        return names_may_have_findings(decode_source(path, raw).text)
    except SourceError:
        return False


def sweep(packages: list[str], sample: int | None, seed: int, jobs: int, keep: bool,
          chunk_size: int = 40, chunk_timeout: float = 900, budget: float | None = None,
          slowest: int = 0, relevant_only: bool = False) -> dict:
    work = Path(tempfile.mkdtemp(prefix="fixorder-sweep-"))
    started = time.monotonic()
    roots = copy_packages(packages, work)
    files = sorted(p for root in roots for p in root.rglob("*.py") if p.is_file() and not p.is_symlink())
    if relevant_only:
        files = [p for p in files if passes_prefilter(p, p.read_bytes())]
    if sample and sample < len(files):
        files = sorted(random.Random(seed).sample(files, sample))
    before = {p: p.read_bytes() for p in files}
    modes = {p: stat.S_IMODE(p.stat().st_mode) for p in files}
    copied = time.monotonic()

    chunks = [files[i:i + chunk_size] for i in range(0, len(files), chunk_size)]
    reports = [work / f"report-{i}.json" for i in range(len(chunks))]
    deadline = None if budget is None else copied + budget

    def process(i: int):
        if deadline is not None and time.monotonic() > deadline:
            return "not reached"
        return run_chunk(chunks[i], work, reports[i], chunk_timeout)

    with ThreadPoolExecutor(jobs) as pool:
        procs = list(pool.map(process, range(len(chunks))))
    fixed_at = time.monotonic()

    problems: list[str] = []
    errors: list[str] = []
    timed_out: list[str] = []
    not_reached = 0
    for chunk, proc in zip(chunks, procs):
        if proc == "not reached":
            not_reached += len(chunk)
            continue
        if proc is None:
            timed_out.append(f"{chunk[0].relative_to(work)} .. {chunk[-1].relative_to(work)} ({len(chunk)} files)")
            continue
        if "Traceback" in proc.stderr or proc.returncode not in (0, 1, 2):
            problems.append(f"fixorder crashed (exit {proc.returncode}): {proc.stderr[-2000:]}")
        errors += [line for line in proc.stderr.splitlines() if line.startswith("fixorder: error: ")]
    findings = [f for r in reports if r.exists() for f in json.loads(r.read_text(encoding="utf-8"))]

    from tests.fix_invariants import undefined_names  # pyflakes: a dev dependency

    changed = [p for p in files if p.read_bytes() != before[p]]
    options = Options(frozenset(RULE_MODULES), "insert", True)
    for path in changed:
        old, new = before[path], path.read_bytes()
        name = str(path.relative_to(work))
        try:
            old_text = decode_source(path, old).text
            new_text = decode_source(path, new).text
        except SourceError as exc:
            problems.append(f"{name}: fixed file no longer decodes: {exc}")
            continue
        if not any(applicable(f, options) for f in check_source(name, old_text, options).findings):
            problems.append(f"{name}: changed although it had no applicable fix")
        try:
            compile(new_text, name, "exec", dont_inherit=True)
        except SyntaxError as exc:
            problems.append(f"{name}: fixed file does not compile: {exc}")
            continue
        added = undefined_names(new_text) - undefined_names(old_text)
        if added:
            problems.append(f"{name}: fix introduced undefined names {sorted(added)}")
        if stat.S_IMODE(path.stat().st_mode) != modes[path]:
            problems.append(f"{name}: mode changed")
    strays = [str(p.relative_to(work)) for root in roots for p in root.rglob("*.fixorder.tmp")]
    problems += [f"temporary file left behind: {s}" for s in strays]
    identical = len(files) - len(changed)  # every file not counted as changed compared equal above
    checked_at = time.monotonic()
    timed = slowest_files(files, work, before, slowest) if slowest else []

    result = {
        "packages": packages,
        "files": len(files),
        "files_analysed": sum(passes_prefilter(p, before[p]) for p in files),
        "bytes": sum(len(b) for b in before.values()),
        "findings": dict(collections.Counter(f["code"] for f in findings)),
        "files_with_findings": len({f["path"] for f in findings if f["code"] != "FO001"}),
        "errors": dict(collections.Counter(error_kind(e) for e in errors)),
        "error_lines": errors[:20],
        "files_fixed": len(changed),
        "fixed_paths": [str(p.relative_to(work)) for p in changed],
        "files_byte_identical": identical,
        "chunks_timed_out": timed_out,
        "files_not_reached": not_reached,
        "problems": problems,
        "seconds_copy": round(copied - started, 1),
        "seconds_fixorder": round(fixed_at - copied, 1),
        "seconds_checks": round(checked_at - fixed_at, 1),
        "slowest_files": timed,
        "jobs": jobs,
        "chunk_size": chunk_size,
        "seconds_total": round(time.monotonic() - started, 1),
    }
    if keep:
        result["work_dir"] = str(work)
    else:
        shutil.rmtree(work)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", nargs="+", default=list(DEFAULT_PACKAGES))
    parser.add_argument("--sample", type=int, help="check a random sample of this many files")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel fixorder processes")
    parser.add_argument("--chunk-size", type=int, default=40, help="files per fixorder process")
    parser.add_argument("--chunk-timeout", type=float, default=900, help="seconds before a process is killed")
    parser.add_argument("--budget", type=float, help="seconds after which no further process is started")
    parser.add_argument("--slowest", type=int, default=10,
                        help="time check_source on each file past the pre-filter and list this many (0: skip)")
    parser.add_argument("--relevant-only", action="store_true",
                        help="only files the pre-filter lets through (those the analysis reads)")
    parser.add_argument("--keep", action="store_true", help="keep the fixed copy for inspection")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()
    result = sweep(args.packages, args.sample, args.seed, max(1, args.jobs), args.keep,
                   args.chunk_size, args.chunk_timeout, args.budget, args.slowest, args.relevant_only)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"packages:              {', '.join(result['packages'])}")
        print(f"files:                 {result['files']} ({result['bytes'] / 1e6:.1f} MB), "
              f"{result['files_analysed']} past the pre-filter")
        print(f"findings:              {result['findings']} in {result['files_with_findings']} files")
        print(f"errors (one line each): {result['errors']}")
        print(f"files fixed:           {result['files_fixed']} {result['fixed_paths']}")
        print(f"files byte-identical:  {result['files_byte_identical']}")
        print(f"processes killed at the {args.chunk_timeout:g} s timeout: {len(result['chunks_timed_out'])} "
              f"{result['chunks_timed_out']}")
        print(f"files not reached within the budget: {result['files_not_reached']}")
        print(f"time:                  {result['seconds_fixorder']} s fixorder ({result['jobs']} processes), "
              f"{result['seconds_checks']} s checks, {result['seconds_total']} s total")
        if result["slowest_files"]:
            print("slowest files (CPU s of check_source, one process):")
            for name, seconds in result["slowest_files"]:
                print(f"  {seconds:6.2f}  {name}")
        print(f"problems:              {len(result['problems'])}")
        for problem in result["problems"]:
            print(f"  {problem}")
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
