"""Time fixorder against its peers on trees built from what is installed here.

    python benchmarks/bench.py                 # everything, 3 repetitions
    python benchmarks/bench.py --repeat 5 --dense-files 300 --markdown /tmp/bench.md
    python benchmarks/bench.py --trees tensorflow   # only the sparse tree (start-up and pre-filter)

Trees (benchmarks/trees.py): ``tensorflow`` (the installed package, sparse real code),
``keras+tf_keras`` (the installed packages: real code where backbones live) and ``dense``
(generated ~250-line Keras training scripts, every file relevant).  Peers run from their own
venv (benchmarks/.peers, created on first use from requirements-peers.txt; torchfix where it
installs).  Each command runs ``--repeat`` times; the table shows the median wall time, the
median CPU time (user+sys, all processes: less sensitive to a busy machine) and the peak RSS
of the largest process.  Targets are checked in the output, never in tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import trees  # noqa: E402

PEERS_VENV = HERE / ".peers"
TREES = ("tensorflow", "keras+tf_keras", "dense")
FIXIT_RULE = "fixit.rules.no_redundant_fstring"  # one trivial built-in rule


@dataclass
class Timing:
    wall: list[float]
    cpu: list[float]
    rss_mb: float
    returncode: int

    @property
    def median_wall(self) -> float:
        return statistics.median(self.wall)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)


def measure(command: list[str], repeat: int, env: dict | None = None) -> Timing:
    walls, cpus, rss, code = [], [], 0, 0
    for _ in range(repeat):
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   env=env or os.environ.copy())
        _, status, usage = os.wait4(process.pid, 0)
        walls.append(time.perf_counter() - started)
        # wait4's usage covers the child and every descendant it waited for (the workers).
        cpus.append(usage.ru_utime + usage.ru_stime)
        rss = max(rss, usage.ru_maxrss)
        code = os.waitstatus_to_exitcode(status)
    return Timing(walls, cpus, rss / 1024, code)


def measure_interleaved(commands: dict[str, list[str]], repeat: int, env: dict | None = None) -> dict[str, Timing]:
    """Each command ``repeat`` times, taking turns, so that the machine's drift (it is shared)
    moves all of them alike and their ratios stay meaningful."""
    runs: dict[str, list[Timing]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            runs[name].append(measure(command, 1, env))
    return {name: Timing([t.wall[0] for t in timings], [t.cpu[0] for t in timings],
                         max(t.rss_mb for t in timings), timings[-1].returncode)
            for name, timings in runs.items()}


def peers_python() -> Path:
    python = PEERS_VENV / "bin" / "python"
    if not python.exists():
        print("bench: creating the peers' venv (ruff, fixit, torchfix)...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(HERE / "requirements-peers.txt")],
                       check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "torchfix"], check=False)
    return python


def peer(name: str) -> str | None:
    path = PEERS_VENV / "bin" / name
    return str(path) if path.exists() else None


def count_py(tree: Path) -> int:
    return sum(1 for _ in tree.rglob("*.py"))


def compile_bytecode() -> None:
    """Write the .pyc files of the fixorder that the runs import, as installing a wheel does.

    Without them (an editable install under PYTHONDONTWRITEBYTECODE=1, as on the developers'
    machines) every run compiles fixorder's modules from source: tens of milliseconds that
    no installed copy pays.
    """
    where = subprocess.run([sys.executable, "-c", "import fixorder, codemods, os; "
                            "print(os.path.dirname(fixorder.__file__)); print(os.path.dirname(codemods.__file__))"],
                           capture_output=True, text=True, check=True).stdout.split()
    subprocess.run([sys.executable, "-m", "compileall", "-q", *where], check=True, stdout=subprocess.DEVNULL)


def per_file_profile(dense: Path) -> dict:
    """Median ms per relevant file for check_source, in one warm process (imports excluded)."""
    code = r"""
import statistics, sys, time
from pathlib import Path
from fixorder.run import engine
from fixorder.inputs.options import Options
files = sorted(Path(sys.argv[1]).rglob("*.py"))
options = Options()
total, parse = [], []
findings = 0
for path in files:
    text = path.read_text()
    t0 = time.perf_counter(); engine.parse(text); t1 = time.perf_counter()
    result = engine.check_source(str(path), text, options); t2 = time.perf_counter()
    parse.append((t1 - t0) * 1000); total.append((t2 - t1) * 1000); findings += len(result.findings)
print(statistics.median(total), statistics.median(parse), findings, len(files))
"""
    out = subprocess.run([sys.executable, "-c", code, str(dense)], capture_output=True, text=True, check=True)
    total, parse, findings, files = out.stdout.split()
    return {"median_ms": float(total), "parse_ms": float(parse), "findings": int(findings), "files": int(files)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dense-files", type=int, default=300)
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "fixorder-bench")
    parser.add_argument("--skip-fixit", action="store_true", help="Fixit is slow; skip it")
    parser.add_argument("--markdown", type=Path, help="Also write the table as Markdown to this file")
    parser.add_argument("--trees", default=",".join(TREES),
                        help=f"Comma-separated trees to run (default: all of {', '.join(TREES)}); the per-file "
                             "profile needs dense")
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.trees.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(TREES))
    if unknown:
        parser.error(f"unknown tree(s): {', '.join(unknown)}")

    peers_python()
    ruff, fixit, torchfix = peer("ruff"), peer("fixit"), peer("torchfix")
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    builders = {
        "tensorflow": lambda: trees.build_sparse(work / "tensorflow", ("tensorflow",)),
        "keras+tf_keras": lambda: trees.build_sparse(work / "keras_tf_keras", ("keras", "tf_keras")),
        "dense": lambda: trees.build_dense(work / f"dense{args.dense_files}", args.dense_files),
    }
    tree_dirs = {name: builders[name]() for name in TREES if name in chosen}
    compile_bytecode()
    env = {k: v for k, v in os.environ.items() if k != "PRE_COMMIT"}
    fixorder = [sys.executable, "-m", "fixorder.cli", "-q", "--exit-zero", "--output-format", "concise"]
    rows: list[tuple] = []  # (tree, files, tool, Timing)
    for name, tree in tree_dirs.items():
        files = count_py(tree)
        print(f"bench: {name}: {files} files", flush=True)
        cache_dir = work / f"cache-{name}"
        shutil.rmtree(cache_dir, ignore_errors=True)
        ruff_cache = work / f"ruff-cache-{name}"
        shutil.rmtree(ruff_cache, ignore_errors=True)
        commands = {
            "fixorder cold": fixorder + ["--no-cache", str(tree)],
            "ruff E9 no-cache": [ruff, "check", "--select", "E9", "--no-cache", "--isolated", "-q", "--exit-zero",
                                 str(tree)] if ruff else None,
        }
        subprocess.run(fixorder + ["--cache-dir", str(cache_dir), str(tree)], env=env, capture_output=True)
        commands["fixorder warm"] = fixorder + ["--cache-dir", str(cache_dir), str(tree)]
        if ruff:
            warm_ruff = [ruff, "check", "--select", "E9", "--isolated", "-q", "--exit-zero", "--cache-dir",
                         str(ruff_cache), str(tree)]
            subprocess.run(warm_ruff, capture_output=True)
            commands["ruff E9 warm"] = warm_ruff
        if fixit and name == "dense" and not args.skip_fixit:
            commands["fixit 1 rule"] = [fixit, "--rules", FIXIT_RULE, "lint", str(tree)]
        if torchfix and name != "keras+tf_keras":  # torchfix takes minutes on the Keras sources
            commands["torchfix"] = [torchfix, str(tree)]
        for tool, command in commands.items():
            if command is None or tool == "fixorder warm":
                continue
            timing = measure(command, args.repeat, env)
            rows.append((name, files, tool, timing))
            _print_row(tool, timing)
        # The warm run against its floor: starting Python and importing what the CLI needs.
        for tool, timing in measure_interleaved({
                "fixorder warm": commands["fixorder warm"],
                "python -c pass": [sys.executable, "-c", "pass"],
                "floor: import fixorder.cli": [sys.executable, "-c", "import fixorder.cli"]},
                max(args.repeat, 9), env).items():
            rows.append((name, files, tool, timing))
            _print_row(tool, timing)
    profile = per_file_profile(tree_dirs["dense"]) if "dense" in tree_dirs else None
    floor = startup_floor(args.repeat, env)
    table = render(rows, profile) + "\n\n" + floor
    print()
    print(table)
    if args.markdown:
        args.markdown.write_text(table + "\n", encoding="utf-8")
    return 0


def _print_row(tool: str, timing: Timing) -> None:
    print(f"  {tool:26s} wall {timing.median_wall:7.3f} s  cpu {timing.median_cpu:7.3f} s  "
          f"peak {timing.rss_mb:6.0f} MB  (exit {timing.returncode})", flush=True)


def startup_floor(repeat: int, env: dict) -> str:
    """What a run costs before it looks at a file: the floor under the warm-cache ratio."""
    commands = {
        "python -I -S -c pass": [sys.executable, "-I", "-S", "-c", "pass"],
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import click'": [sys.executable, "-c", "import click"],
        "python -c 'import fixorder.cli'": [sys.executable, "-c", "import fixorder.cli"],
        "fixorder --version": [sys.executable, "-m", "fixorder.cli", "--version"],
    }
    parts = [f"{name} {measure(command, max(repeat, 5), env).median_wall * 1000:.0f} ms"
             for name, command in commands.items()]
    return "Start-up (median wall): " + ", ".join(parts) + "."


def _get(rows, tree, tool):
    for name, files, t, timing in rows:
        if name == tree and t == tool:
            return files, timing
    return None, None


def render(rows, profile) -> str:
    lines = [f"Machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, load average "
             f"{os.getloadavg()[0]:.1f} at the end; medians of each command's runs.", "",
             "| tree | files | tool | wall s | cpu s | files/s (wall) | peak MB | fixorder / this (wall; warm rows: the warm run) |",
             "|---|---|---|---|---|---|---|---|"]
    for name, files, tool, timing in rows:
        _, cold = _get(rows, name, "fixorder cold")
        _, warm = _get(rows, name, "fixorder warm")
        ours = warm if tool.endswith("warm") or tool.startswith(("python", "floor")) else cold
        ratio = "" if tool.startswith("fixorder") or ours is None else f"{ours.median_wall / timing.median_wall:.2f}x"
        lines.append(f"| {name} | {files} | {tool} | {timing.median_wall:.2f} | {timing.median_cpu:.2f} | "
                     f"{files / timing.median_wall:.3g} | {timing.rss_mb:.0f} | {ratio} |")
    if profile is not None:
        lines += ["", f"Dense, per relevant file (one warm process, {profile['files']} files, {profile['findings']} "
                      f"findings): median check {profile['median_ms']:.1f} ms (of which libcst parse "
                      f"{profile['parse_ms']:.1f} ms)."]
    lines += ["", "Targets (issue 18):", ""]
    lines += [f"- {text}: {verdict}" for text, verdict in targets(rows, profile)]
    return "\n".join(lines)


def targets(rows, profile) -> list[tuple[str, str]]:
    out = []

    def ratio(tree, ours, theirs, limit, text):
        _, a = _get(rows, tree, ours)
        _, b = _get(rows, tree, theirs)
        if a is None or b is None:
            out.append((text, "not measured"))
            return
        value = a.median_wall / b.median_wall
        cpu = a.median_cpu / b.median_cpu
        out.append((text, f"{value:.2f}x wall, {cpu:.2f}x cpu -> {'MET' if value <= limit else 'MISSED'}"))

    ratio("tensorflow", "fixorder cold", "ruff E9 no-cache", 0.6, "sparse cold <= 0.6x ruff E9 --no-cache")
    for tree in ("tensorflow", "keras+tf_keras", "dense"):
        if _get(rows, tree, "fixorder warm")[1] is not None:
            ratio(tree, "fixorder warm", "floor: import fixorder.cli", 1.3,
                  f"{tree} warm <= 1.3x the floor (python -c 'import fixorder.cli')")
    files, cold = _get(rows, "dense", "fixorder cold")
    _, fixit = _get(rows, "dense", "fixit 1 rule")
    if cold and fixit:
        speedup = fixit.median_wall / cold.median_wall
        out.append(("dense >= 5x faster than Fixit (1 trivial rule)",
                    f"{speedup:.1f}x -> {'MET' if speedup >= 5 else 'MISSED'}"))
    else:
        out.append(("dense >= 5x faster than Fixit (1 trivial rule)", "not measured"))
    if cold:
        rate = files / cold.median_wall
        out.append((f"dense >= 100 files/s on {os.cpu_count()} cores", f"{rate:.3g} files/s -> "
                    f"{'MET' if rate >= 100 else 'MISSED'}"))
    if profile is None:
        out.append(("median per relevant file <= 15 ms", "not measured"))
    else:
        out.append(("median per relevant file <= 15 ms",
                    f"{profile['median_ms']:.1f} ms -> {'MET' if profile['median_ms'] <= 15 else 'MISSED'}"))
    for tree in dict.fromkeys(n for n, *_ in rows):
        # ru_maxrss of the children: the largest fixorder process (the CLI or a worker).
        peak = max((t.rss_mb for n, f, tool, t in rows if n == tree and tool.startswith("fixorder")), default=0)
        out.append((f"{tree}: peak memory <= 150 MB (largest fixorder process)",
                    f"{peak:.0f} MB -> {'MET' if peak <= 150 else 'MISSED'}"))
    return out


if __name__ == "__main__":
    sys.exit(main())
