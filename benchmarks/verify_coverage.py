"""How much of a directory of real code ``fixorder verify`` gives a verdict on, and how fast.

    python benchmarks/verify_coverage.py DIR [--whole-script] [--jobs 2] [--timeout 240] [--json OUT]

For every .py / .ipynb file under DIR: the pipelines fixorder links (static analysis), the
verify result of each (pipeline mode by default), whether each verdict agrees with the static
one (a pipeline with a static finding at its backbone should FAIL, one without should PASS),
and the wall time per file.  Prints the coverage (PASS or FAIL among results), the agreement,
and the median verify time per pipeline (TensorFlow import included), against issue 15's
targets (>= 80 % covered, every verdict agreeing, median < 10 s).  Targets are checked here,
never in tests.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fixorder.verify import FAIL, PASS  # noqa: E402
from fixorder.verify.runner import verify_script  # noqa: E402


def static_lines(path: Path) -> set[int] | None:
    """Lines of the backbones that fixorder's static rules report on (None: not analysable)."""
    import subprocess

    done = subprocess.run([sys.executable, "-m", "fixorder", "--output-format", "json", "--exit-zero", str(path)],
                          capture_output=True, text=True, cwd=ROOT)
    try:
        rows = json.loads(done.stdout)
    except ValueError:
        return None
    items = rows if isinstance(rows, list) else rows.get("findings", [])
    return {int(r.get("line") or r.get("location", {}).get("row") or 0) for r in items}


def one(path: Path, args) -> dict:
    t = time.monotonic()
    results = verify_script(path, timeout=args.timeout, whole_script=args.whole_script)
    wall = time.monotonic() - t
    findings = static_lines(path) or set()
    rows = []
    for r in results:
        if r.backbone is None or r.not_applicable:
            rows.append({"verdict": r.verdict, "backbone": r.backbone, "line": r.line, "agrees": None,
                         "reason": r.reason})
            continue
        expected = FAIL if findings else PASS  # file-level: the finding may point at the data, not the backbone
        agrees = None if r.verdict not in (PASS, FAIL) else (r.verdict == expected)
        rows.append({"verdict": r.verdict, "backbone": r.backbone, "line": r.line, "agrees": agrees,
                     "static_findings": len(findings), "reason": r.reason})
    row = {"path": str(path), "wall": round(wall, 2), "results": rows}
    _print(row)
    return row


def _print(row: dict) -> None:
    """One line per result as soon as its file is done (a long run can be read as it goes)."""
    for r in row["results"]:
        mark = "  DISAGREES with the static verdict" if r["agrees"] is False else ""
        print(f"{row['path']}:{r['line'] or ''}: {r['backbone'] or '-'} {r['verdict'].upper()}{mark}"
              f"  ({row['wall']:.1f} s)", flush=True)
        if r["verdict"] not in (PASS, FAIL):
            print(f"    {r['reason'][:300]}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--whole-script", action="store_true")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=240.0)
    ap.add_argument("--json", help="write every row here")
    args = ap.parse_args()
    files = sorted(p for p in Path(args.dir).rglob("*") if p.suffix in (".py", ".ipynb") and p.is_file())
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        rows = list(pool.map(lambda p: one(p, args), files))
    judged = [r for row in rows for r in row["results"] if r["backbone"] is not None]
    verdicts = [r for r in judged if r["verdict"] in (PASS, FAIL)]
    agreeing = [r for r in verdicts if r["agrees"]]
    per_pipeline = [row["wall"] / max(1, len(row["results"])) for row in rows]
    mode = "whole-script" if args.whole_script else "pipeline"
    cover = len(verdicts) / len(judged) if judged else 0.0
    print(f"\n{len(files)} files, {len(judged)} results with a backbone ({mode} mode)")
    print(f"coverage: {len(verdicts)}/{len(judged)} = {cover:.0%} PASS or FAIL (target >= 80%)")
    print(f"agreement with the static verdict: {len(agreeing)}/{len(verdicts)} (target: all)")
    if per_pipeline:
        print(f"median verify time per result: {statistics.median(per_pipeline):.1f} s wall (target < 10 s)")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
