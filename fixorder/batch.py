"""``fixorder batch``: check and fix many repositories, each with its own configuration.

Per repository: a ``git apply``-able patch (``--patch-dir``), optionally the fixes applied to the
working tree (``--fix``) and/or committed on a new branch (``--branch``).  A JSON report
(``--report``) records each repository's outcome; a re-run with the same report skips those
already done.  One broken repository is recorded as failed and the batch goes on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

import click

DONE, SKIPPED, FAILED = "done", "skipped", "failed"
REPO_TIMEOUT_SECONDS = 1800


@dataclass
class RepoOutcome:
    path: str
    status: str = DONE
    reason: str = ""
    files_checked: int = 0
    findings: dict[str, int] = field(default_factory=dict)  # per rule, before fixing
    fixed: int = 0
    files_changed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # files analysed only in part
    patch: str | None = None
    branch: str | None = None
    commit: str | None = None
    applied: bool = False


@dataclass
class BatchOptions:
    fix: bool = False
    strategy: str | None = None
    unsafe_fixes: bool | None = None
    select: list[str] | None = None
    patch_dir: Path | None = None
    branch: str | None = None


class BatchError(Exception):
    """Why one repository could not be processed."""


class InputError(click.ClickException):
    """A report or repository list that cannot be used: exit status 2, like any usage error."""

    exit_code = 2


def _git(repo: Path, *args: str, env: dict | None = None, stdin: str | None = None) -> str:
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, input=stdin,
                          env={**os.environ, **(env or {})})
    if proc.returncode != 0:
        raise BatchError(f"git {' '.join(args[:2])} failed: {(proc.stderr or proc.stdout).strip().splitlines()[-1:]}")
    return proc.stdout.strip()


def _is_git_repo(repo: Path) -> bool:
    proc = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=repo, capture_output=True, text=True)
    return proc.returncode == 0


def _scan(repo: Path, options: BatchOptions) -> dict:
    command = [sys.executable, "-m", "fixorder.batch_worker", str(repo)]
    if options.strategy:
        command += ["--strategy", options.strategy]
    if options.unsafe_fixes:
        command.append("--unsafe-fixes")
    if options.select:
        command += ["--select", ",".join(options.select)]
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=REPO_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired as exc:
        raise BatchError(f"timed out after {REPO_TIMEOUT_SECONDS} s") from exc
    try:
        data = json.loads(proc.stdout)
    except json.JSONDecodeError:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise BatchError(f"fixorder crashed (exit {proc.returncode}): {last}") from None
    if "config_error" in data:
        raise BatchError(data["config_error"])
    return data


def _commit_message(fixed: list[dict]) -> str:
    codes = sorted({f["code"] for f in fixed})
    lines = [f"fixorder: fix {len(fixed)} finding{'s' if len(fixed) != 1 else ''} ({', '.join(codes)})", ""]
    for f in fixed:
        where = f"{f['path']}:cell {f['cell']}:{f['line']}" if f.get("cell") else f"{f['path']}:{f['line']}"
        description = f["fix"]["description"] if f.get("fix") else f["message"]
        lines.append(f"- {where} {f['code']} {f['name']}: {description}")
    return "\n".join(lines) + "\n"


def _commit_on_branch(repo: Path, branch: str, patch: str, message: str) -> str:
    """Commit the patch on a new branch from HEAD without touching the working tree or the index."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        patch_file = Path(tmp) / "fix.patch"
        patch_file.write_text(patch, encoding="utf-8")
        _git(repo, "read-tree", "HEAD", env=env)
        _git(repo, "apply", "--cached", str(patch_file), env=env)
        tree = _git(repo, "write-tree", env=env)
        commit = _git(repo, "commit-tree", tree, "-p", "HEAD", "-F", "-", stdin=message)
    _git(repo, "branch", branch, commit)
    return commit


def _apply(repo: Path, patch: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        patch_file = Path(tmp) / "fix.patch"
        patch_file.write_text(patch, encoding="utf-8")
        _git(repo, "apply", str(patch_file))


def process_repo(repo: Path, options: BatchOptions, patch_name: str) -> RepoOutcome:
    outcome = RepoOutcome(str(repo))
    try:
        if not repo.is_dir():
            raise BatchError("not a directory")
        if options.branch:
            if not _is_git_repo(repo):
                raise BatchError("not a git repository (needed for --branch)")
            if _git(repo, "status", "--porcelain", "--untracked-files=no"):
                outcome.status, outcome.reason = SKIPPED, "working tree has uncommitted changes"
                return outcome
            if subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{options.branch}"],
                              cwd=repo, capture_output=True).returncode == 0:
                outcome.status, outcome.reason = SKIPPED, f"branch {options.branch} already exists"
                return outcome
        data = _scan(repo, options)
        outcome.files_checked = data["files"]
        outcome.findings = dict(sorted(Counter(f["code"] for f in data["findings"]).items()))
        outcome.errors = data["errors"]
        outcome.warnings = data["warnings"]
        outcome.files_changed = data["changed_files"]
        outcome.fixed = len(data["fixed"])
        patch = data["patch"]
        if patch and options.patch_dir:
            options.patch_dir.mkdir(parents=True, exist_ok=True)
            target = options.patch_dir / f"{patch_name}.patch"
            target.write_text(patch, encoding="utf-8")
            outcome.patch = str(target)
        if patch and options.branch:
            outcome.commit = _commit_on_branch(repo, options.branch, patch, _commit_message(data["fixed"]))
            outcome.branch = options.branch
            if options.fix:
                _git(repo, "checkout", "-q", options.branch)
                outcome.applied = True
        elif patch and options.fix:
            _apply(repo, patch)
            outcome.applied = True
    except (BatchError, OSError) as exc:
        outcome.status, outcome.reason = FAILED, str(exc)
    return outcome


def _patch_names(repos: list[Path]) -> dict[Path, str]:
    """A patch file name per repository: its folder name, numbered when two share one."""
    names: dict[Path, str] = {}
    used: Counter = Counter()
    for repo in repos:
        base = repo.name or "repo"
        used[base] += 1
        names[repo] = base if used[base] == 1 else f"{base}-{used[base]}"
    return names


def load_report(path: Path | None) -> dict:
    if path is None or not path.exists():
        return {"repositories": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: cannot read the report: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("repositories"), dict):
        raise InputError(f"{path}: not a fixorder batch report")
    return data


def run_batch(repos: list[Path], options: BatchOptions, jobs: int, report_path: Path | None) -> list[RepoOutcome]:
    report = load_report(report_path)
    done = {key for key, value in report["repositories"].items() if value.get("status") == DONE}
    names = _patch_names(repos)
    outcomes: dict[Path, RepoOutcome] = {}
    todo = []
    for repo in repos:
        if str(repo) in done:
            outcome = RepoOutcome(str(repo), SKIPPED, "already done (in the report)")
            outcomes[repo] = outcome
        else:
            todo.append(repo)
    lock = threading.Lock()

    def record(outcome: RepoOutcome) -> None:
        with lock:
            report["repositories"][outcome.path] = asdict(outcome)
            if report_path is not None:
                report_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")

    # A progress bar only on a terminal: in CI logs it is noise.
    progress = click.progressbar(length=len(todo), label="repositories", file=sys.stderr) \
        if sys.stderr.isatty() else _NoProgress()
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool, progress as bar:
        futures = {pool.submit(process_repo, repo, options, names[repo]): repo for repo in todo}
        for future in as_completed(futures):
            repo = futures[future]
            try:
                outcome = future.result()
            except Exception as exc:  # a bug must not stop the other repositories
                outcome = RepoOutcome(str(repo), FAILED, f"internal error: {exc!r}")
            outcomes[repo] = outcome
            record(outcome)
            bar.update(1)
    return [outcomes[repo] for repo in repos]


class _NoProgress:
    def __enter__(self) -> "_NoProgress":
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        return None


def _shown(path: str) -> str:
    try:
        return str(Path(path).relative_to(Path.cwd())) or "."
    except ValueError:
        return path


def table(outcomes: list[RepoOutcome]) -> str:
    rows = [("repository", "status", "files changed", "findings", "fixed", "note")]
    for o in outcomes:
        findings = ", ".join(f"{code}={n}" for code, n in o.findings.items()) or "-"
        note = o.reason or ", ".join(filter(None, [
            f"branch {o.branch}" if o.branch else "", f"patch {o.patch}" if o.patch else "",
            f"{len(o.errors)} file error{'s' if len(o.errors) != 1 else ''}" if o.errors else "",
            f"{len(o.warnings)} file warning{'s' if len(o.warnings) != 1 else ''}" if o.warnings else ""]))
        rows.append((_shown(o.path), o.status, str(len(o.files_changed)), findings, str(o.fixed), note))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    counts = Counter(o.status for o in outcomes)
    per_rule: Counter = Counter()
    for o in outcomes:
        per_rule.update(o.findings)
    lines.append("")
    lines.append(f"{len(outcomes)} repositories: {counts[DONE]} done, {counts[SKIPPED]} skipped, "
                 f"{counts[FAILED]} failed; {sum(len(o.files_changed) for o in outcomes)} files changed; "
                 f"findings: {', '.join(f'{c}={n}' for c, n in sorted(per_rule.items())) or 'none'}")
    return "\n".join(lines) + "\n"


def read_repo_list(path: Path) -> list[str]:
    """One repository per line; blank lines and ``#`` comments are ignored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
