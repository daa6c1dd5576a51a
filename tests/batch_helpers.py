"""Real git repositories for the batch tests, and a fingerprint of everything a repository holds."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
           "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z", "GIT_CONFIG_NOSYSTEM": "1"}


def git_bytes(repo: Path, *args: str | bytes, env: dict | None = None) -> bytes:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                          env={**os.environ, **GIT_ENV, **(env or {})}).stdout


def git(repo: Path, *args: str | bytes, env: dict | None = None) -> str:
    return git_bytes(repo, *args, env=env).decode("utf-8", "surrogateescape")


def make_repo(root: Path, name: str, files: dict[str | bytes, str], *, commit: bool = True) -> Path:
    repo = root / name
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    for rel, text in files.items():
        target = Path(os.fsdecode(rel)) if isinstance(rel, bytes) else Path(rel)
        (repo / target).parent.mkdir(parents=True, exist_ok=True)
        (repo / target).write_text(text)
    if commit:
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "init")
    return repo


def make_bare_remote(root: Path, name: str, files: dict[str, str]) -> Path:
    """A bare repository (as a hosting service has) with one commit of ``files`` on main."""
    source = make_repo(root / "sources", name, files)
    bare = root / "remotes" / f"{name}.git"
    bare.parent.mkdir(parents=True, exist_ok=True)
    git(root, "clone", "-q", "--bare", str(source), str(bare))
    return bare


def fingerprint(repo: Path) -> dict:
    """HEAD, every ref, the index, the status, the stash, in-progress markers and every file's hash.

    Taken before and after a batch run, it shows exactly what the run changed in a repository.
    """
    bare = git(repo, "rev-parse", "--is-bare-repository").strip() == "true"
    git_dir = Path(git(repo, "rev-parse", "--absolute-git-dir").strip())
    head = subprocess.run(["git", "symbolic-ref", "-q", "HEAD"], cwd=repo, capture_output=True).stdout \
        or git_bytes(repo, "rev-parse", "HEAD")
    print_refs = git_bytes(repo, "for-each-ref", "--format=%(refname) %(objectname)")
    state = {
        "HEAD": head.strip(),
        "refs": dict(line.split(b" ", 1) for line in print_refs.splitlines()),
        "markers": sorted(p.name for p in git_dir.iterdir() if p.name.isupper() and p.name not in
                          ("HEAD", "ORIG_HEAD", "FETCH_HEAD", "COMMIT_EDITMSG", "AUTO_MERGE"))
                   + sorted(p.name for p in git_dir.glob("rebase-*")),
    }
    if bare:
        return state
    state["index"] = git_bytes(repo, "ls-files", "-s", "-z")
    state["status"] = git_bytes(repo, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignored")
    state["stash"] = git_bytes(repo, "stash", "list")
    files = {}
    for folder, dirs, names in os.walk(os.fsencode(repo)):
        dirs[:] = [d for d in dirs if d != b".git"]
        for name in names:
            path = os.path.join(folder, name)
            files[os.path.relpath(path, os.fsencode(repo))] = hashlib.sha256(Path(os.fsdecode(path)).read_bytes()).hexdigest()
    state["files"] = files
    return state


def changed(before: dict, after: dict) -> dict:
    """The fingerprint parts that differ, and for refs the refs added, removed or moved."""
    out = {key: (before.get(key), after.get(key)) for key in before.keys() | after.keys()
           if before.get(key) != after.get(key) and key != "refs"}
    refs = {ref for ref in before["refs"].keys() | after["refs"].keys()
            if before["refs"].get(ref) != after["refs"].get(ref)}
    if refs:
        out["refs"] = sorted(ref.decode() for ref in refs)
    return out
