"""Where a warm run's time goes, phase by phase, against the floor it is measured by.

    python benchmarks/profile_warm.py TREE [--repeat 15]

The floor is starting Python and importing what the CLI needs (``python -c "import
fixorder.cli"``); a warm run on a tree where nothing changed adds only its own work on top:
discovery, one stat per file, loading the results file, one lookup per file.  Each phase is
timed alone in this process, best of ``--repeat`` (the machine is shared: the minimum is the
least disturbed), with the same functions a run calls; the start-up rows are whole processes,
best of ``--repeat`` too.  Prints milliseconds and each phase's share of the floor.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def best(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def process_ms(command: list[str], repeat: int) -> float:
    return best(lambda: subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), repeat)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", type=Path)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)

    from fixorder.inputs.config import load_settings
    from fixorder.inputs.discovery import DiscoveryOptions, discover_names
    from fixorder.run import cache as cache_module
    from fixorder.run import runner

    tree = str(args.tree)
    settings = load_settings(Path.cwd())
    options = settings.options_for(Path("."))
    discovery = DiscoveryOptions(root=settings.root)
    work = Path(tempfile.mkdtemp(prefix="fixorder-profile-warm-"))
    try:
        runner.run([tree], options, cache_dir=work, discovery=discovery)  # the results file a warm run loads
        files, _ = discover_names([tree], discovery, [])
        _, stats = runner._one_name_per_file(files)
        cache = cache_module.Cache(work, options)
        cwd = os.getcwd()
        keys = [os.path.join(cwd, name) for name in files]

        phases = {
            f"discovery ({len(files)} files)": best(lambda: discover_names([tree], discovery, []), args.repeat),
            "one stat per file": best(lambda: runner._one_name_per_file(files), args.repeat),
            "cache: fingerprint (a stat per fixorder module)": best(lambda: cache_module.fingerprint_key(options),
                                                                     args.repeat),
            "cache: load and check the results file": best(lambda: cache_module.Cache(work, options), args.repeat),
            "cache: one lookup per file": best(lambda: [cache.by_stat(k, stats[n]) for k, n in zip(keys, files)
                                                        if n in stats], args.repeat),
            "the whole run (runner.run)": best(lambda: runner.run([tree], options, cache_dir=work,
                                                                  discovery=discovery), args.repeat),
        }
        python = sys.executable
        startup = {
            "python -c pass": process_ms([python, "-c", "pass"], args.repeat),
            "floor: python -c 'import fixorder.cli'": process_ms([python, "-c", "import fixorder.cli"], args.repeat),
            "fixorder warm (the CLI, whole process)": process_ms(
                [python, "-m", "fixorder.cli", "-q", "--exit-zero", "--cache-dir", str(work), tree], args.repeat),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    floor = startup["floor: python -c 'import fixorder.cli'"]
    print(f"best of {args.repeat}; load average {os.getloadavg()[0]:.1f}")
    for name, ms in {**startup, **phases}.items():
        print(f"  {name:50s} {ms:7.1f} ms  {ms / floor:5.2f}x the floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
