"""What batch passes around: its options, one repository's outcome, and its errors.

Both travel to Dask workers and back, so they are plain picklable data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import click

DONE, SKIPPED, FAILED = "done", "skipped", "failed"


@dataclass
class RepoOutcome:
    path: str  # the repository as given: a resolved local path, or a URL (with @REF)
    status: str = DONE
    reason: str = ""
    checkout: str | None = None  # where a URL was cloned to
    ref: str | None = None  # the ref checked out for a URL (None: its default branch)
    head: str | None = None  # the commit that was checked
    files_checked: int = 0
    findings: dict[str, int] = field(default_factory=dict)  # per rule, before fixing
    locations: list[dict] = field(default_factory=list)  # every finding: path, line, column, code, ...
    fixable: int = 0  # findings a fix exists for (with the run's --unsafe-fixes)
    fixed: int = 0  # fixes written: to the working tree (--fix) or committed (--branch)
    files_changed: list[str] = field(default_factory=list)  # files the fixes change
    skipped_files: list[str] = field(default_factory=list)  # "path: reason" for fixes not committed
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # files analysed only in part
    patch: str | None = None  # the patch file written to --patch-dir
    branch: str | None = None
    commit: str | None = None
    pushed_to: str | None = None  # the remote the branch was pushed to
    applied: bool = False
    verified: list[dict] = field(default_factory=list)  # --verify: one result per linked pipeline
    verify_counts: dict[str, int] = field(default_factory=dict)  # --verify: results per verdict


@dataclass
class BatchOptions:
    fix: bool = False
    strategy: str | None = None
    unsafe_fixes: bool | None = None
    select: list[str] | None = None
    branch: str | None = None
    push: bool = False
    push_remote: str | None = None  # a remote name or URL; None: the repository's origin
    workdir: Path = Path(".fixorder_batch")
    verify: bool = False  # run fixorder verify on each repository's linked pipelines
    require_sandbox: bool = True  # --verify refuses to run a repository's code not isolated
    verify_timeout: float = 120.0


class BatchError(Exception):
    """Why one repository could not be processed."""


class Skip(Exception):
    """Why one repository was left alone on purpose."""


class InputError(click.ClickException):
    """A report or repository list that cannot be used: exit status 2, like any usage error."""

    exit_code = 2
