"""Run fixorder on a directory of real code and measure it (against labels, or by mutation).

    python benchmarks/realcode.py DIR                         # findings, backbones, time per file
    python benchmarks/realcode.py DIR --labels labels.jsonl   # + files right, bugs found, false positives
    python benchmarks/realcode.py DIR --mutate                # + mutation recall on pipelines judged correct
    python benchmarks/realcode.py DIR --mutate --keep-mutants OUT   # and keep the mutants to look at
    python benchmarks/realcode.py DIR ... --json              # everything as one JSON object
    python benchmarks/realcode.py DIR ... --misses FILE       # write the misses (labels and mutants) to FILE

Every ``.py`` and ``.ipynb`` under DIR is checked with fixorder's own Python API (the same path
as ``fixorder check``), and analysed once more to list the pretrained backbones it found and
whether a data path reaches each one ("linked").  A label's ``id`` is the file's path relative
to DIR (benchmarks/corpus/labels.jsonl names files/<id>).  Numbers are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from fixorder import catalog as catalog_module  # noqa: E402
from fixorder.inputs import notebooks  # noqa: E402
from fixorder.analysis.interpreter import analyze  # noqa: E402
from fixorder.analysis.source_map import SourceMap  # noqa: E402
from fixorder.analysis.values import RAW  # noqa: E402
from fixorder.run.engine import ParseError, parse  # noqa: E402
from fixorder.inputs.options import Options  # noqa: E402
from fixorder.run.unit import is_notebook, process_text  # noqa: E402

SKIPPED_DIRS = {".git", ".ipynb_checkpoints", "__pycache__", ".venv", "venv", "node_modules"}
PARSE_ERROR = "FO001"
SILENT = "silent"


# ---------------------------------------------------------------- discovery and checking


def discover(root: Path) -> list[Path]:
    """Every .py and .ipynb file under root (or root itself), sorted, skipping VCS/cache dirs."""
    if root.is_file():
        return [root]
    found = []
    for path in root.rglob("*"):
        if not path.is_file() or path.suffix not in (".py", ".ipynb"):
            continue
        if any(part in SKIPPED_DIRS for part in path.relative_to(root).parts[:-1]):
            continue
        found.append(path)
    return sorted(found)


def analysed_program(path: Path, text: str) -> str | None:
    """The Python program fixorder analyses for this file: the text, or a notebook's joined cells."""
    if not is_notebook(path):
        return text
    try:
        return notebooks.load(text).program
    except notebooks.NotebookError:
        return None


@dataclass
class BackboneReport:
    name: str
    line: int  # in the file; for a notebook, in its cell
    pretrained: bool
    linked: bool  # a path from known data (raw pixels) reaches it
    cell: int | None = None
    lost: str | None = None  # where fixorder lost the flow (``fixorder explain``, when this fixorder has it)


@dataclass
class FileReport:
    id: str
    findings: list[dict] = field(default_factory=list)  # code, line, message
    error: str | None = None
    warning: str | None = None
    seconds: float = 0.0
    backbones: list[BackboneReport] = field(default_factory=list)

    @property
    def codes(self) -> set[str]:
        return {f["code"] for f in self.findings if f["code"] != PARSE_ERROR}


def _explainer():
    """``fixorder explain``'s data function, on versions of fixorder that have it."""
    try:
        from fixorder.output.explain import explain_text
    except ImportError:
        return None
    return explain_text


def backbone_reports(path: Path, text: str, program: str, catalog, options: Options) -> list[BackboneReport]:
    """The pretrained backbones of a file and whether known data reaches each (explain's notion of linked)."""
    explain = _explainer()
    if explain is not None:
        data = explain(str(path), text, options)
        return [BackboneReport(b["name"], (b["at"] or {}).get("line", 0), b["pretrained"], b["linked"],
                               (b["at"] or {}).get("cell"), b["lost"]) for b in data["backbones"]]
    try:
        module = parse(program)
        result = analyze(module, catalog)
    except (ParseError, RecursionError):
        return []
    positions = SourceMap(module, program)
    linked = {id(p.backbone) for p in result.pipelines if p.origin.kind == RAW}
    out = []
    for use in result.backbones:
        line = positions[use.node].start.line if use.node in positions else 0
        out.append(BackboneReport(use.catalog.name, line, not use.weights_none or use.weights_loaded_later,
                                  id(use) in linked))
    return out


def check_file(path: Path, root: Path, catalog, options: Options | None = None) -> FileReport:
    options = options or Options()
    rel = path.name if root.is_file() else str(path.relative_to(root))
    report = FileReport(rel)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        report.error = f"cannot read: {exc}"
        return report
    started = time.perf_counter()
    unit = process_text(str(path), text, options)
    report.seconds = time.perf_counter() - started
    report.error, report.warning = unit.error, unit.warning
    report.findings = [{"code": f.code, "line": f.line, "cell": f.cell, "message": f.message} for f in unit.findings]
    program = analysed_program(path, text)
    if program is not None and unit.error is None:
        report.backbones = backbone_reports(path, text, program, catalog, options)
    return report


def check_tree(root: Path) -> list[FileReport]:
    catalog = catalog_module.load()
    return [check_file(path, root, catalog) for path in discover(root)]


# ---------------------------------------------------------------- scoring against labels


def load_labels(path: Path) -> dict[str, dict]:
    labels = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            labels[row["id"]] = row
    return labels


def outcome(codes: set[str]) -> str:
    """fixorder's verdict on a file as one word: silent, a code, or codes joined by '+'."""
    return "+".join(sorted(codes)) if codes else SILENT


@dataclass
class Score:
    labelled: int = 0
    unlabelled: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # labelled, not found under DIR
    files_right: int = 0
    bug_files: int = 0
    bugs_found: int = 0  # every expected code reported
    clean_files: int = 0
    false_positive_files: int = 0
    parse_errors: int = 0
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)  # verdict -> outcome -> files
    misses: list[dict] = field(default_factory=list)  # bug files not found with the right code
    false_positives: list[dict] = field(default_factory=list)


def score(reports: list[FileReport], labels: dict[str, dict]) -> Score:
    result = Score()
    by_id = {r.id: r for r in reports}
    confusion: dict[str, Counter] = {}
    for label_id, label in sorted(labels.items()):
        report = by_id.get(label_id)
        if report is None:
            result.missing.append(label_id)
            continue
        result.labelled += 1
        expected = set(label.get("expected_codes", []))
        found = report.codes
        if report.error:
            result.parse_errors += 1
        confusion.setdefault(label["verdict"], Counter())[outcome(found)] += 1
        if found == expected and not report.error:
            result.files_right += 1
        entry = {"id": label_id, "repo": label.get("repo"), "path": label.get("path"),
                 "verdict": label["verdict"], "expected": sorted(expected), "found": sorted(found),
                 "error": report.error, "reason": label.get("reason", ""),
                 "lost": sorted({b.lost for b in report.backbones if b.lost and b.pretrained and not b.linked})}
        if expected:
            result.bug_files += 1
            if expected <= found:
                result.bugs_found += 1
            else:
                result.misses.append(entry)
        else:
            result.clean_files += 1
            if found:
                result.false_positive_files += 1
                result.false_positives.append(entry)
    result.unlabelled = sorted(set(by_id) - set(labels))
    result.confusion = {verdict: dict(counts) for verdict, counts in sorted(confusion.items())}
    return result


def ratio(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f}%)" if whole else f"{part}/0"


# ---------------------------------------------------------------- output


def print_files(reports: list[FileReport], out) -> None:
    for r in reports:
        pretrained = [b for b in r.backbones if b.pretrained]
        linked = [b for b in pretrained if b.linked]
        head = f"{r.id}: {outcome(r.codes)}  ({r.seconds * 1000:.0f} ms; pretrained backbones {len(pretrained)}, linked {len(linked)})"
        print(head, file=out)
        if r.error:
            print(f"    error: {r.error}", file=out)
        if r.warning:
            print(f"    warning: {r.warning}", file=out)
        for b in r.backbones:
            state = "linked to data" if b.linked else "not linked to data"
            kind = "pretrained" if b.pretrained else "weights=None"
            where = f"cell {b.cell} line {b.line}" if b.cell else f"line {b.line}"
            print(f"    backbone {b.name} {where}: {kind}, {state}" + (f" ({b.lost})" if b.lost and not b.linked else ""),
                  file=out)
        for f in r.findings:
            where = f"cell {f['cell']} line {f['line']}" if f.get("cell") else f"line {f['line']}"
            print(f"    {f['code']} {where}: {f['message'][:160]}", file=out)


def print_summary(reports: list[FileReport], out) -> None:
    pretrained = sum(1 for r in reports for b in r.backbones if b.pretrained)
    linked = sum(1 for r in reports for b in r.backbones if b.pretrained and b.linked)
    total = sum(r.seconds for r in reports)
    slowest = max(reports, key=lambda r: r.seconds, default=None)
    print(f"\n{len(reports)} files, {sum(len(r.codes) > 0 for r in reports)} with findings, "
          f"{sum(r.error is not None for r in reports)} unreadable/unparsable; "
          f"pretrained backbones {pretrained}, linked to data {linked}; "
          f"{total:.1f} s in fixorder ({1000 * total / max(len(reports), 1):.0f} ms/file"
          + (f", slowest {slowest.id} {slowest.seconds * 1000:.0f} ms)" if slowest else ")"), file=out)


def print_score(result: Score, out) -> None:
    print("\nAgainst labels", file=out)
    print(f"  labelled files checked: {result.labelled} (missing under DIR: {len(result.missing)}, "
          f"unlabelled: {len(result.unlabelled)})", file=out)
    print(f"  files right (exactly the expected codes): {ratio(result.files_right, result.labelled)}", file=out)
    print(f"  bugs found with the right code: {ratio(result.bugs_found, result.bug_files)}", file=out)
    print(f"  false positives on clean files: {ratio(result.false_positive_files, result.clean_files)}", file=out)
    outcomes = sorted({o for row in result.confusion.values() for o in row})
    width = max([len(v) for v in result.confusion] + [7])
    print("\n  confusion (rows: label, columns: what fixorder reported)", file=out)
    print("  " + " " * width + "".join(f"{o:>12}" for o in outcomes), file=out)
    for verdict, row in result.confusion.items():
        print("  " + f"{verdict:<{width}}" + "".join(f"{row.get(o, 0):>12}" for o in outcomes), file=out)
    if result.misses:
        print("\n  misses (bug not reported with the right code):", file=out)
        for m in result.misses:
            print(f"    {m['id']} [{m['verdict']}] expected {','.join(m['expected'])}, "
                  f"got {outcome(set(m['found']))}{' (' + m['error'] + ')' if m['error'] else ''}", file=out)
    if result.false_positives:
        print("\n  false positives (finding on a file labelled clean):", file=out)
        for m in result.false_positives:
            print(f"    {m['id']} [{m['verdict']}] got {outcome(set(m['found']))}", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--labels", type=Path)
    parser.add_argument("--mutate", action="store_true", help="mutation recall on pipelines judged correct")
    parser.add_argument("--keep-mutants", type=Path, help="with --mutate: also write every mutant to this directory")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument("--misses", type=Path, help="write the misses (labelled and mutation) as JSON to this file")
    args = parser.parse_args(argv)
    if not args.dir.exists():
        print(f"realcode: error: {args.dir}: no such file or directory", file=sys.stderr)
        return 2
    reports = check_tree(args.dir)
    result = score(reports, load_labels(args.labels)) if args.labels else None
    mutation = None
    if args.mutate:
        import realcode_mutate  # noqa: PLC0415  (libcst mutants: only loaded when asked for)

        mutation = realcode_mutate.run(args.dir, reports, args.keep_mutants)
    if args.misses:
        payload = {"labelled": asdict(result)["misses"] + asdict(result)["false_positives"] if result else [],
                   "mutation": mutation.misses if mutation else []}
        args.misses.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    if args.json:
        data = {"files": [asdict(r) | {"codes": sorted(r.codes)} for r in reports]}
        if result:
            data["score"] = asdict(result)
        if mutation:
            data["mutation"] = asdict(mutation)
        print(json.dumps(data, indent=1))
        return 0
    print_files(reports, sys.stdout)
    print_summary(reports, sys.stdout)
    if result:
        print_score(result, sys.stdout)
    if mutation:
        realcode_mutate.print_report(mutation, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
