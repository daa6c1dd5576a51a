"""One repository, start to end: the pure function every engine runs.

``process_repo(text, options)`` takes the repository as given (a path or ``URL[@REF]``) and the
batch options, and returns the outcome record as a dict, with the patch's bytes under
``"patch_bytes"`` for the caller to write.  It reads nothing else and keeps no state, so a local
pool and a Dask cluster give the same records.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from fixorder.batch import git
from fixorder.batch.model import FAILED, SKIPPED, BatchError, BatchOptions, RepoOutcome, Skip
from fixorder.batch.sources import Source, clone_or_fetch, parse
from fixorder.batch.worker import WORKER_COMMAND

REPO_TIMEOUT_SECONDS = 1800
LOCATION_KEYS = ("path", "line", "column", "end_line", "end_column", "cell", "code", "name", "message")


def process_repo(text: str, options: BatchOptions, cwd: str | None = None) -> dict:
    source = parse(text, Path(cwd) if cwd else None)
    outcome = RepoOutcome(source.spec, ref=source.ref)
    patch = b""
    try:
        if source.url is not None:
            if Path(source.url).is_dir() and git.is_bare(Path(source.url)) and not git.has_commits(Path(source.url)):
                raise Skip("bare repository with no commits: nothing to check")
            repo = clone_or_fetch(source, options.workdir)
            outcome.checkout = str(repo)
        else:
            repo = Path(source.spec)
            if not repo.is_dir():
                raise BatchError("not a directory")
        patch = _process(repo, source, options, outcome)
    except Skip as exc:
        outcome.status, outcome.reason = SKIPPED, str(exc)
    except (BatchError, OSError) as exc:
        outcome.status, outcome.reason = FAILED, str(exc)
    record = asdict(outcome)
    record["patch_bytes"] = patch
    return record


def _process(repo: Path, source: Source, options: BatchOptions, outcome: RepoOutcome) -> bytes:
    writes = options.fix or options.branch
    top = git.top_level(repo)
    if top is None and git.is_bare(repo):
        raise Skip("bare repository: nothing to check (give it as a URL to check a clone of it)")
    if options.branch and top is None:
        raise BatchError("not a git repository (needed for --branch)")
    if top is not None:
        outcome.head = git.text(repo, "rev-parse", "--verify", "--quiet", "HEAD") if git.has_commits(repo) else None
        if writes:
            busy = git.operation_in_progress(repo)
            if busy:
                raise Skip(f"{busy} is in progress: finish or abort it first")
    if options.branch:
        if git.text(repo, "status", "--porcelain", "--untracked-files=no"):
            raise Skip("working tree has uncommitted changes")
        if git.branch_exists(repo, options.branch) and _parent(repo, options.branch) != outcome.head:
            raise Skip(f"branch {options.branch} already exists")
    data = _scan(repo, options)
    outcome.files_checked = data["files"]
    outcome.findings = dict(sorted(Counter(f["code"] for f in data["findings"]).items()))
    outcome.locations = [{key: f[key] for key in LOCATION_KEYS} for f in data["findings"]]
    outcome.errors = data["errors"]
    outcome.warnings = data["warnings"]
    if options.verify:
        from fixorder.batch.verifying import verify_repo

        # The repository as checked, before any fix is written.
        outcome.verified, outcome.verify_counts = verify_repo(repo, data.get("checked", []),
                                                              options.require_sandbox, options.verify_timeout)
    changes = data["changes"]
    outcome.files_changed = [c["path"] for c in changes]
    outcome.fixable = sum(len(c["fixed"]) for c in changes)
    patch = b"".join(_git_patch(c["path"], c["diff"]) for c in changes)
    if not changes:
        if options.branch and outcome.head is None:
            raise Skip("no commits yet: nothing to branch from")
        return patch
    if options.branch:
        if outcome.head is None:
            raise Skip("no commits yet: nothing to branch from (the findings are listed)")
        committed = _commit_tracked(repo, options.branch, changes, outcome)
        if committed:
            outcome.branch = options.branch
            outcome.fixed = sum(len(c["fixed"]) for c in committed)
            if options.push:
                outcome.pushed_to = _push(repo, options)
            if options.fix:
                git.run(repo, "checkout", "-q", outcome.branch, "--")
                outcome.applied = True
    elif options.fix:
        _apply(repo, patch)
        outcome.applied = True
        outcome.fixed = outcome.fixable
    return patch


def _scan(repo: Path, options: BatchOptions) -> dict:
    command = [sys.executable, *WORKER_COMMAND, str(repo)]
    if options.strategy:
        command += ["--strategy", options.strategy]
    if options.unsafe_fixes:
        command.append("--unsafe-fixes")
    if options.select:
        command += ["--select", ",".join(options.select)]
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=REPO_TIMEOUT_SECONDS, cwd=repo)
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


def _git_patch(path: str, diff: str) -> bytes:
    """One file's diff as git writes it: the name quoted when it must be, the text as bytes."""
    name = os.fsencode(path)
    header = (b"diff --git " + git.quote_path(b"a/" + name) + b" " + git.quote_path(b"b/" + name) + b"\n"
              + b"--- " + git.quote_path(b"a/" + name) + b"\n+++ " + git.quote_path(b"b/" + name) + b"\n")
    plain = f"--- a/{path}\n+++ b/{path}\n"
    if diff.startswith(plain):
        body = diff[len(plain):]
    else:
        # engine.unified_diff quotes a name with special characters as git does, so its header
        # is then exactly two lines.
        first, second, body = (diff.split("\n", 2) + ["", ""])[:3]
        if not (first.startswith('--- "a/') and second.startswith('+++ "b/')):
            raise BatchError(f"{git.shown_name(path)}: unexpected diff header")
    return header + body.encode("utf-8", "surrogateescape")


def _commit_message(fixed: list[dict]) -> str:
    codes = sorted({f["code"] for f in fixed})
    lines = [f"fixorder: fix {len(fixed)} finding{'s' if len(fixed) != 1 else ''} ({', '.join(codes)})", ""]
    for f in fixed:
        name = git.shown_name(f["path"])
        where = f"{name}:cell {f['cell']}:{f['line']}" if f.get("cell") else f"{name}:{f['line']}"
        description = f["fix"]["description"] if f.get("fix") else f["message"]
        lines.append(f"- {where} {f['code']} {f['name']}: {description}")
    return "\n".join(lines) + "\n"


def _commit_tracked(repo: Path, branch: str, changes: list[dict], outcome: RepoOutcome) -> list[dict]:
    """Commit the tracked files' fixes on a new branch from HEAD, without touching the working
    tree, the index or the current branch; the untracked files' fixes are listed as skipped."""
    tracked = git.tracked(repo, [c["path"] for c in changes])
    committed = [c for c in changes if c["path"] in tracked]
    outcome.skipped_files = [f"{git.shown_name(c['path'])}: untracked, not committed"
                             for c in changes if c["path"] not in tracked]
    if not committed:
        return []
    message = _commit_message([f for c in committed for f in c["fixed"]])
    with tempfile.TemporaryDirectory() as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        patch_file = Path(tmp) / "fix.patch"
        patch_file.write_bytes(b"".join(_git_patch(c["path"], c["diff"]) for c in committed))
        git.run(repo, "read-tree", "HEAD", env=env)
        git.run(repo, "apply", "--cached", "--", str(patch_file), env=env)
        tree = git.text(repo, "write-tree", env=env)
        if git.branch_exists(repo, branch):
            # A task that died after making the branch and is run again (a Dask retry): the same
            # fixes on the same parent are that earlier run's work, anything else is the user's.
            if git.text(repo, "rev-parse", f"refs/heads/{branch}^{{tree}}") != tree:
                raise Skip(f"branch {branch} already exists")
            outcome.commit = git.text(repo, "rev-parse", f"refs/heads/{branch}")
            return committed
        commit = git.text(repo, "commit-tree", tree, "-p", "HEAD", "-F", "-",
                          stdin=message.encode("utf-8", "surrogateescape"))
    # refs/heads/ spelled out and an expected old value of "none": never moves an existing branch.
    git.run(repo, "update-ref", f"refs/heads/{branch}", commit, "")
    outcome.commit = commit
    return committed


def _parent(repo: Path, branch: str) -> str | None:
    proc = git.run(repo, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}^", check=False)
    return proc.stdout.decode().strip() or None


def _push(repo: Path, options: BatchOptions) -> str:
    remote = options.push_remote or "origin"
    git.run(repo, "push", "-q", "--", remote, f"refs/heads/{options.branch}:refs/heads/{options.branch}")
    return remote if "/" in remote or ":" in remote else git.text(repo, "remote", "get-url", "--", remote)


def _apply(repo: Path, patch: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        patch_file = Path(tmp) / "fix.patch"
        patch_file.write_bytes(patch)
        git.run(repo, "apply", "--", str(patch_file))
