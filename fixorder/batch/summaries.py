"""Organisation-level views of a batch: the terminal table, a Markdown summary, SARIF.

Each takes the outcome records of the run's repositories (as report.json holds them).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from fixorder.batch.git import shown_name
from fixorder.batch.model import DONE, FAILED, SKIPPED


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else many or word + 's'}"


def shown(path: str) -> str:
    try:
        path = str(Path(path).relative_to(Path.cwd())) or "."
    except ValueError:
        pass
    return shown_name(path)


def _note(o: dict) -> str:
    parts = [o["reason"]] if o["reason"] else []
    if o.get("branch"):
        parts.append(f"branch {o['branch']}" + (f" pushed to {o['pushed_to']}" if o.get("pushed_to") else ""))
    if o.get("patch"):
        parts.append(f"patch {o['patch']}")
    if o.get("verify_counts"):
        parts.append("verify: " + ", ".join(f"{n} {verdict}" for verdict, n in o["verify_counts"].items()))
    for key, word, many in (("skipped_files", "fix not committed", "fixes not committed"),
                            ("errors", "file error", None), ("warnings", "file warning", None)):
        if o.get(key):
            parts.append(plural(len(o[key]), word, many))
    return ", ".join(parts)


def _per_rule(outcomes: list[dict]) -> tuple[Counter, Counter]:
    findings: Counter = Counter()
    repos: Counter = Counter()
    for o in outcomes:
        findings.update(o.get("findings") or {})
        repos.update(set(o.get("findings") or {}))
    return findings, repos


def _columns(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]


def totals(outcomes: list[dict]) -> str:
    counts = Counter(o["status"] for o in outcomes)
    fixable = sum(o.get("fixable", 0) for o in outcomes)
    fixed = sum(o.get("fixed", 0) for o in outcomes)
    findings = sum(sum((o.get("findings") or {}).values()) for o in outcomes)
    files = plural(sum(len(o.get("files_changed") or []) for o in outcomes), "file")
    return (f"{plural(len(outcomes), 'repository', 'repositories')}: {counts[DONE]} done, {counts[SKIPPED]} skipped, "
            f"{counts[FAILED]} failed; {plural(findings, 'finding')}, {fixable} fixable, {fixed} fixed; "
            f"{files} {'changed' if fixed else 'with fixes'}")


def table(outcomes: list[dict]) -> str:
    """Per repository, then per rule, then the totals."""
    rows = [("repository", "status", "files", "findings", "fixable", "fixed", "note")]
    for o in outcomes:
        findings = ", ".join(f"{code}={n}" for code, n in (o.get("findings") or {}).items()) or "-"
        rows.append((shown(o["path"]), o["status"], str(len(o.get("files_changed") or [])), findings,
                     str(o.get("fixable", 0)), str(o.get("fixed", 0)), _note(o)))
    lines = _columns(rows)
    findings, repos = _per_rule(outcomes)
    if findings:
        lines.append("")
        lines += _columns([("rule", "findings", "repositories")]
                          + [(code, str(n), str(repos[code])) for code, n in sorted(findings.items())])
    lines += ["", totals(outcomes)]
    return "\n".join(lines) + "\n"


def markdown(outcomes: list[dict]) -> str:
    """A summary to paste into a tracking issue: totals, per rule, per repository with a checkbox."""
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["# fixorder batch summary", "", totals(outcomes), ""]
    findings, repos = _per_rule(outcomes)
    if findings:
        lines += ["| rule | findings | repositories |", "| --- | ---: | ---: |"]
        lines += [f"| {code} | {n} | {repos[code]} |" for code, n in sorted(findings.items())]
        lines.append("")
    lines += ["| | repository | status | findings | fixed | branch | commit | note |",
              "| --- | --- | --- | --- | ---: | --- | --- | --- |"]
    for o in outcomes:
        box = "[x]" if o["status"] == DONE and not o.get("findings") or o.get("fixed") else "[ ]"
        findings_text = ", ".join(f"{c}={n}" for c, n in (o.get("findings") or {}).items()) or "-"
        lines.append(f"| {box} | {cell(shown(o['path']))} | {o['status']} | {findings_text} | {o.get('fixed', 0)} | "
                     f"{cell(o.get('branch') or '')} | {(o.get('commit') or '')[:12]} | {cell(_note(o))} |")
    return "\n".join(lines) + "\n"


def _finding(location: dict):
    from fixorder.findings import Finding

    return Finding(**{k: location[k] for k in ("path", "line", "column", "end_line", "end_column", "code", "name",
                                                "message", "cell")})


def sarif(outcomes: list[dict]) -> str:
    """One SARIF log, one run per repository, its locations relative to that repository."""
    from fixorder.output.sarif import SRCROOT, sarif as one_log

    log = None
    for o in outcomes:
        single = json.loads(one_log([_finding(loc) for loc in o.get("locations") or []], {}))
        run = single["runs"][0]
        root = o.get("checkout") or o["path"]
        run["originalUriBaseIds"] = {SRCROOT: {"uri": Path(root).as_uri() + "/"}}
        run["automationDetails"] = {"id": f"fixorder-batch/{o['path']}"}
        if o.get("head"):
            url = o["path"][:-len(o["ref"]) - 1] if o.get("ref") else o["path"]
            provenance = {"repositoryUri": url if o.get("checkout") else Path(url).as_uri(),
                          "revisionId": o["head"], "mappedTo": {"uriBaseId": SRCROOT}}
            run["versionControlProvenance"] = [provenance]
        if log is None:
            log, log["runs"] = single, []
        log["runs"].append(run)
    if log is None:
        log = json.loads(one_log([], {}))
        log["runs"] = []
    return json.dumps(log, indent=2) + "\n"
