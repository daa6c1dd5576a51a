"""Where a repository comes from: a local checkout, or a git URL cloned into the work directory.

A URL is anything ``git clone`` takes (``https://``, ``ssh://``, ``git@host:path``, ``file://``,
and a local bare repository), optionally followed by ``@REF`` for a branch, tag or commit.
Clones are shallow and kept in ``--workdir`` between runs; a kept clone is fetched again.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fixorder.batch import git
from fixorder.batch.model import BatchError

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/]*/")
_SCP = re.compile(r"^[^/:@]+@[^/:]+:|^[A-Za-z0-9.-]+:[^/]")  # git@host:org/repo, host:repo


@dataclass(frozen=True)
class Source:
    spec: str  # as given (a URL with @REF), or a local checkout's resolved path: the report's key
    url: str | None = None  # None for a local checkout
    ref: str | None = None


def _is_url(text: str) -> bool:
    return bool(_SCHEME.match(text) or (_SCP.match(text) and not os.path.exists(text)))


def parse(text: str, cwd: Path | None = None) -> Source:
    """A repository argument: a local checkout, a local bare repository, or ``URL[@REF]``."""
    cwd = cwd or Path.cwd()
    local = cwd / text
    if local.is_dir():
        resolved = local.resolve()
        if git.is_bare(resolved):
            return Source(str(resolved), str(resolved))
        return Source(str(resolved))
    base, at, ref = text.rpartition("@")
    if at and ref and ":" not in ref and (_is_url(base) or (cwd / base).is_dir()):
        url = base if _is_url(base) else str((cwd / base).resolve())
        return Source(f"{url}@{ref}", url, ref)
    if _is_url(text):
        return Source(text, text)
    return Source(str(local.resolve()))  # not there: processing says so


def checkout_dir(workdir: Path, source: Source) -> Path:
    """The clone's folder: readable, and unique per URL and ref."""
    name = re.sub(r"\.git$", "", source.url.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]) or "repo"
    name = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    digest = hashlib.sha256(source.spec.encode("utf-8", "surrogateescape")).hexdigest()[:10]
    return workdir / f"{name}-{digest}"


def clone_or_fetch(source: Source, workdir: Path) -> Path:
    """A shallow checkout of the source's ref (or default branch) in the work directory."""
    if source.ref is not None and source.ref.startswith("-"):
        raise BatchError(f"invalid ref {source.ref!r}")
    target = checkout_dir(workdir.resolve(), source)
    if (target / ".git").is_dir():
        origin = git.run(target, "remote", "get-url", "--", "origin", check=False)
        if origin.returncode != 0:
            shutil.rmtree(target)  # a clone that was stopped half made: the work directory is ours
        elif os.fsdecode(origin.stdout.strip()) != source.url:
            raise BatchError(f"{target}: its origin is not {source.url}; remove the folder to clone again")
    if not target.exists():
        _clone(source, target)
        return target
    _fetch(target, source)
    return target


def _fetch(checkout: Path, source: Source) -> None:
    # --depth 1 of the one ref: a platform team's thousand repositories, not their histories.
    git.run(checkout, "fetch", "-q", "--depth", "1", "--no-tags", "origin", "--", source.ref or "HEAD")
    git.run(checkout, "checkout", "-q", "--force", "--detach", "FETCH_HEAD")


def _clone(source: Source, target: Path) -> None:
    """Made in a folder of its own and renamed into place, so a stopped clone leaves no half."""
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    try:
        git.run(building, "init", "-q")
        git.run(building, "remote", "add", "--", "origin", source.url)
        _fetch(building, source)
        try:
            os.rename(building, target)
        except OSError:
            if not (target / ".git").is_dir():  # another attempt won the race: use its clone
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
