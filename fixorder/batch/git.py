"""The git commands batch runs, with bytes in and out so no file name can break them.

Every command takes its paths and names after ``--`` (or validated first), so a branch or a
file named like an option is never read as one.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from fixorder.batch.model import BatchError

# An operation a user is in the middle of: a commit or a checkout now would end up inside it.
IN_PROGRESS = {"rebase-merge": "a rebase", "rebase-apply": "a rebase or git am", "MERGE_HEAD": "a merge",
               "CHERRY_PICK_HEAD": "a cherry-pick", "REVERT_HEAD": "a revert", "BISECT_LOG": "a bisect"}

# git's own C-style quoting of path names (quote.c): these are written as backslash escapes.
_ESCAPES = {0x07: b"\\a", 0x08: b"\\b", 0x09: b"\\t", 0x0A: b"\\n", 0x0B: b"\\v", 0x0C: b"\\f", 0x0D: b"\\r",
            0x22: b'\\"', 0x5C: b"\\\\"}


def run(repo: Path, *args: str | bytes, env: dict | None = None, stdin: bytes | None = None,
        check: bool = True) -> subprocess.CompletedProcess:
    # LC_ALL=C: messages are parsed nowhere, but reasons in reports read the same everywhere.
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, input=stdin,
                          env={**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", **(env or {})})
    if check and proc.returncode != 0:
        message = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip().splitlines()
        words = [a if isinstance(a, str) else os.fsdecode(a) for a in args if a != "-q"][:2]
        raise BatchError(f"git {' '.join(words)} failed: {message[-1] if message else f'exit {proc.returncode}'}")
    return proc


def text(repo: Path, *args: str, env: dict | None = None, stdin: bytes | None = None) -> str:
    return run(repo, *args, env=env, stdin=stdin).stdout.decode("utf-8", "surrogateescape").strip()


def succeeds(repo: Path, *args: str) -> bool:
    return run(repo, *args, check=False).returncode == 0


def quote_path(name: bytes) -> bytes:
    """``name`` as git writes it in a patch header: quoted when it has special bytes."""
    if not any(b < 0x20 or b >= 0x7F or b in (0x22, 0x5C) for b in name):
        return name
    out = bytearray(b'"')
    for b in name:
        if b in _ESCAPES:
            out += _ESCAPES[b]
        elif b < 0x20 or b >= 0x7F:
            out += b"\\%03o" % b
        else:
            out.append(b)
    return bytes(out + b'"')


def shown_name(name: str) -> str:
    """A file name for a message: as it is when it is printable UTF-8, else quoted as git quotes it."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return quote_path(os.fsencode(name)).decode("ascii")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        return quote_path(name.encode("utf-8")).decode("ascii")
    return name


def check_branch_name(name: str) -> str | None:
    """Why ``name`` cannot be a new branch (None when it can), by git's own rules."""
    if name.startswith("-"):
        return f"invalid branch name {name!r}: starts with '-'"
    proc = subprocess.run(["git", "check-ref-format", "--branch", name], capture_output=True, text=True)
    if proc.returncode != 0 or proc.stdout.strip() != name:
        # @{-1} and similar expand to another branch: not a name for a new one either.
        return f"invalid branch name {name!r} (git check-ref-format --branch)"
    return None


def top_level(path: Path) -> Path | None:
    proc = run(path, "rev-parse", "--show-toplevel", check=False)
    return Path(os.fsdecode(proc.stdout.strip())) if proc.returncode == 0 and proc.stdout.strip() else None


def is_bare(path: Path) -> bool:
    proc = run(path, "rev-parse", "--is-bare-repository", check=False)
    return proc.returncode == 0 and proc.stdout.strip() == b"true"


def has_commits(repo: Path) -> bool:
    return succeeds(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")


def operation_in_progress(repo: Path) -> str | None:
    """The name of a rebase, merge, cherry-pick, revert or bisect the user is in, if any."""
    for marker, name in IN_PROGRESS.items():
        where = Path(text(repo, "rev-parse", "--git-path", marker))
        if not where.is_absolute():
            where = repo / where
        if where.exists():
            return name
    return None


def branch_exists(repo: Path, branch: str) -> bool:
    return succeeds(repo, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}")


def tracked(repo: Path, names: list[str]) -> set[str]:
    """Those of ``names`` (paths relative to ``repo``) that are in git's index."""
    if not names:
        return set()
    listed = run(repo, "ls-files", "-z", "--", *(os.fsencode(n) for n in names),
                 env={"GIT_LITERAL_PATHSPECS": "1"}).stdout
    return {os.fsdecode(n) for n in listed.split(b"\0") if n}
