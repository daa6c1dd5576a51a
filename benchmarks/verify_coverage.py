"""How much of a directory of real code ``fixorder verify`` gives a verdict on, and how fast.

    python benchmarks/verify_coverage.py DIR [--labels LABELS.jsonl] [--fixes] [--whole-script]
                                             [--only-linked] [--jobs 2] [--timeout 180] [--json OUT]

For every .py / .ipynb file under DIR: the pipelines fixorder links (static analysis: data
followed from a known source reaching a pretrained backbone), the verify result of each
(pipeline mode by default), and whether each verdict agrees with

* the static verdict: a pipeline whose backbone has a static finding should FAIL, one without
  should PASS;
* the hand label (``--labels``, benchmarks/corpus/labels.jsonl): ``correct`` and
  ``not_applicable`` files should PASS, every other verdict FAIL (the label of the file alone,
  as the static analysis sees it).

With ``--fixes``, every file with a static finding is also rewritten (``fixorder --fix
--unsafe-fixes`` on a copy) and verified again: the original should FAIL and the rewrite PASS.

Prints the coverage (PASS or FAIL among the linked pipelines), the agreement, the fix checks,
the UNVERIFIED reasons grouped by cause, and the median verify time per pipeline (wall time of
the file's verify divided by the slices it ran: each slice is one child process, TensorFlow
import included), against issue 15's targets (>= 80 % covered, every verdict agreeing, median
< 10 s).  Targets are checked here, never in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fixorder.verify import FAIL, PASS  # noqa: E402
from fixorder.verify.runner import verify_script  # noqa: E402

PASSING_LABELS = ("correct", "not_applicable")


def static_findings(path: Path) -> list[dict] | None:
    """fixorder's findings on the file (None: it could not be analysed)."""
    done = subprocess.run([sys.executable, "-m", "fixorder", "--output-format", "json", "--exit-zero",
                           "--no-cache", str(path)], capture_output=True, text=True, cwd=ROOT)
    try:
        rows = json.loads(done.stdout)
    except ValueError:
        return None
    return rows if isinstance(rows, list) else rows.get("findings", [])


def _pipeline_label(result) -> tuple[str | None, bool]:
    """The slice a result came from (its note) and whether the static analysis links it."""
    for note in result.notes:
        if note.startswith("pipeline mode:"):
            return note.split(" for ", 1)[-1], "(not linked to data" not in note
    return None, False


def _expected(findings: list[dict], backbone: str | None) -> str | None:
    if any(str(f.get("code", "")) == "FO001" for f in findings):
        return None  # the static analysis could not read the file (a cell that does not parse)
    hit = any(f.get("backbone") == backbone and str(f.get("code", "")).startswith("FO1") for f in findings)
    return FAIL if hit else PASS


def rows_for(path: Path, results, findings, label: dict | None) -> list[dict]:
    rows = []
    for r in results:
        slice_label, linked = _pipeline_label(r)
        expected = _expected(findings or [], r.backbone)
        by_label = None
        if label is not None:
            by_label = PASS if label.get("verdict") in PASSING_LABELS else FAIL
        verdict = r.verdict
        rows.append({
            "verdict": verdict, "backbone": r.backbone, "line": r.line, "cell": r.cell,
            "pipeline": slice_label, "linked": linked,
            "static": expected, "label": by_label,
            "agrees_static": None if verdict not in (PASS, FAIL) or expected is None else verdict == expected,
            "agrees_label": None if verdict not in (PASS, FAIL) or by_label is None else verdict == by_label,
            "not_applicable": bool(r.not_applicable), "reason": r.reason,
        })
    return rows


def one(path: Path, args, labels: dict) -> dict:
    t = time.monotonic()
    results = verify_script(path, timeout=args.timeout, whole_script=args.whole_script)
    wall = time.monotonic() - t
    findings = static_findings(path)
    label = labels.get(path.name)
    runs = len({r for r in (_pipeline_label(x)[0] for x in results) if r}) or 1
    row = {"path": str(path), "wall": round(wall, 2), "runs": runs,
           "results": rows_for(path, results, findings, label), "fix": None}
    if args.fixes and any(str(f.get("code", "")).startswith("FO1") for f in findings or []):
        row["fix"] = check_fix(path, args, row["results"])
    _print(row)
    return row


def check_fix(path: Path, args, before: list[dict]) -> dict:
    """Rewrite a copy with fixorder's fixes and verify it: the original FAILs, the rewrite PASSes."""
    tmp = Path(tempfile.mkdtemp(prefix="verify-coverage-fix-"))
    try:
        copy = tmp / path.name
        shutil.copyfile(path, copy)
        subprocess.run([sys.executable, "-m", "fixorder", "--fix", "--unsafe-fixes", "--exit-zero", "--no-cache",
                        str(copy)], capture_output=True, text=True, cwd=ROOT)
        if copy.read_bytes() == path.read_bytes():
            return {"rewritten": False, "original": [r["verdict"] for r in before if r["linked"]]}
        results = verify_script(copy, timeout=args.timeout, whole_script=args.whole_script,
                                display_path=str(path))
        after = [r.verdict for r in results if _pipeline_label(r)[1]]
        original = [r["verdict"] for r in before if r["linked"]]
        return {"rewritten": True, "original": original, "fixed": after,
                "reasons": [r.reason for r in results if r.verdict not in (PASS, FAIL)][:3]}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _print(row: dict) -> None:
    """One line per result as soon as its file is done (a long run can be read as it goes)."""
    for r in row["results"]:
        marks = []
        if r["agrees_static"] is False:
            marks.append("DISAGREES with the static verdict")
        if r["agrees_label"] is False:
            marks.append("DISAGREES with the hand label")
        if not r["linked"]:
            marks.append("(not linked)")
        where = f"cell {r['cell']}:{r['line']}" if r["cell"] else (r["line"] or "")
        print(f"{row['path']}:{where}: {r['backbone'] or '-'} {r['verdict'].upper()} {' '.join(marks)}"
              f"  ({row['wall']:.1f} s, {row['runs']} run(s))", flush=True)
        if r["verdict"] not in (PASS, FAIL):
            print(f"    {r['reason'][:300]}", flush=True)
    if row["fix"]:
        print(f"    fix: {row['fix']}", flush=True)


def _has_linked(path: Path) -> bool:
    from fixorder.verify.runner import _python_source
    from fixorder.verify.slicing import pipeline_slices

    try:
        return any(s.linked for s in pipeline_slices(_python_source(path)[0])[0])
    except Exception:
        return False


def cause(reason: str) -> str:
    """A short name for why a result is UNVERIFIED (for the summary)."""
    m = re.search(r"raised (\w+(?:Error|Exception)?)(?:: ([^(]{0,60}))?", reason)
    if "time limit" in reason:
        return "time limit"
    if "cannot replace" in reason:
        return "a data source verify cannot replace"
    if "download refused" in reason:
        return "download refused"
    if "no data reached" in reason:
        return "no data reached the backbone: " + (m.group(1) if m else reason[:60])
    if "built no keras.applications backbone" in reason:
        return "no backbone built"
    if m:
        return m.group(1) + (": " + m.group(2).strip() if m.group(1) == "ModuleNotFoundError" and m.group(2) else "")
    return reason[:60]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--labels", help="hand labels (benchmarks/corpus/labels.jsonl)")
    ap.add_argument("--fixes", action="store_true", help="also verify fixorder's rewrite of each file with findings")
    ap.add_argument("--whole-script", action="store_true")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=180.0)
    ap.add_argument("--json", help="write every row here")
    ap.add_argument("--only-linked", action="store_true",
                    help="skip the files in which fixorder links no pipeline (they are not counted anyway)")
    args = ap.parse_args()
    labels = {}
    if args.labels:
        for line in Path(args.labels).read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                labels[item["id"]] = item
    files = sorted(p for p in Path(args.dir).rglob("*") if p.suffix in (".py", ".ipynb") and p.is_file())
    if args.only_linked:
        files = [p for p in files if _has_linked(p)]
    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        rows = list(pool.map(lambda p: one(p, args, labels), files))
    elapsed = time.monotonic() - t0
    linked = [r for row in rows for r in row["results"] if r["linked"]]
    verdicts = [r for r in linked if r["verdict"] in (PASS, FAIL)]
    static_ok = [r for r in verdicts if r["agrees_static"]]
    static_none = [r for r in verdicts if r["agrees_static"] is None]
    labelled = [r for r in verdicts if r["label"] is not None]
    label_ok = [r for r in labelled if r["agrees_label"]]
    per_pipeline = [row["wall"] / row["runs"] for row in rows for _ in range(row["runs"])
                    if any(r["pipeline"] for r in row["results"])]
    mode = "whole-script" if args.whole_script else "pipeline"
    cover = len(verdicts) / len(linked) if linked else 0.0
    print(f"\n{len(files)} files, {len(linked)} results for pipelines fixorder links ({mode} mode), "
          f"{elapsed / 60:.1f} min with {args.jobs} jobs")
    print(f"coverage: {len(verdicts)}/{len(linked)} = {cover:.0%} PASS or FAIL (target >= 80%)")
    print(f"agreement with the static verdict: {len(static_ok)}/{len(verdicts) - len(static_none)} (target: all; "
          f"{len(static_none)} in files the static analysis could not read)")
    if labels:
        print(f"agreement with the hand label: {len(label_ok)}/{len(labelled)} (target: all)")
    if args.fixes:
        fixed = [row for row in rows if row["fix"] and row["fix"]["rewritten"]]
        good = [row for row in fixed if row["fix"]["original"] and all(v == FAIL for v in row["fix"]["original"])
                and row["fix"]["fixed"] and all(v == PASS for v in row["fix"]["fixed"])]
        print(f"fixes: {len(good)}/{len(fixed)} rewritten files whose original FAILs and rewrite PASSes (target: all)")
    causes = Counter(cause(r["reason"]) for r in linked if r["verdict"] not in (PASS, FAIL))
    for why, n in causes.most_common():
        print(f"  unverified: {n} x {why}")
    if per_pipeline:
        print(f"median verify time per pipeline: {statistics.median(per_pipeline):.1f} s wall "
              f"(target < 10 s; {len(per_pipeline)} slices; load average {os.getloadavg()[0]:.1f} at the end)")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
