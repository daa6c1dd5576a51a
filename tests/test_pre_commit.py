"""The real pre-commit, using a snapshot of this repository as its hook source."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import BROKEN_SCRIPT, CLEAN_SCRIPT, FIXED_SCRIPT, ROOT

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com"}


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}).stdout.strip()


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """This repository's tracked files, as they are now, committed into a fresh repository."""
    snapshot = tmp_path_factory.mktemp("hook-source")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            check=True, capture_output=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        source = ROOT / rel
        if source.is_file():
            target = snapshot / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    _git("init", "-q", cwd=snapshot)
    _git("add", "-A", cwd=snapshot)
    _git("commit", "-q", "-m", "snapshot", cwd=snapshot)
    return snapshot, _git("rev-parse", "HEAD", cwd=snapshot)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    # One hook environment for the module: pre-commit installs fixorder into it once.
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def user_repo(tmp_path, hook_repo) -> Path:
    source, rev = hook_repo
    _git("init", "-q", cwd=tmp_path)
    (tmp_path / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {source}\n    rev: {rev}\n    hooks:\n      - id: fixorder\n      - id: fixorder-fix\n"
        "        stages: [manual]\n")
    (tmp_path / "README.md").write_text("demo\n")
    _git("add", "-A", cwd=tmp_path)
    _git("commit", "-q", "-m", "init", cwd=tmp_path)
    return tmp_path


def _pre_commit(repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=repo, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home)}, timeout=600)


def test_check_hook_fails_on_a_broken_script_and_passes_on_a_clean_one(user_repo, pre_commit_home):
    (user_repo / "train.py").write_text(BROKEN_SCRIPT)
    _git("add", "train.py", cwd=user_repo)
    proc = _pre_commit(user_repo, pre_commit_home, "run", "fixorder")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "train.py:8:5: FO101" in proc.stdout

    (user_repo / "train.py").write_text(CLEAN_SCRIPT)
    _git("add", "train.py", cwd=user_repo)
    proc = _pre_commit(user_repo, pre_commit_home, "run", "fixorder")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout


def test_fix_hook_rewrites_the_file(user_repo, pre_commit_home):
    (user_repo / "train.py").write_text(BROKEN_SCRIPT)
    _git("add", "train.py", cwd=user_repo)
    proc = _pre_commit(user_repo, pre_commit_home, "run", "--hook-stage", "manual", "fixorder-fix")
    # pre-commit fails a hook that modified files, so the user reviews and stages the fix.
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "files were modified by this hook" in proc.stdout
    assert (user_repo / "train.py").read_text() == FIXED_SCRIPT


def test_no_staged_files_is_success(user_repo, pre_commit_home):
    proc = _pre_commit(user_repo, pre_commit_home, "run", "fixorder")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no files to check" in proc.stdout


def test_installed_hook_blocks_a_commit(user_repo, pre_commit_home):
    assert _pre_commit(user_repo, pre_commit_home, "install").returncode == 0
    (user_repo / "train.py").write_text(BROKEN_SCRIPT)
    _git("add", "train.py", cwd=user_repo)
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(pre_commit_home)}
    blocked = subprocess.run(["git", "commit", "-q", "-m", "broken"], cwd=user_repo, capture_output=True,
                             text=True, env=env)
    assert blocked.returncode != 0 and "FO101" in blocked.stdout + blocked.stderr
    (user_repo / "train.py").write_text(CLEAN_SCRIPT)
    _git("add", "train.py", cwd=user_repo)
    done = subprocess.run(["git", "commit", "-q", "-m", "clean"], cwd=user_repo, capture_output=True, text=True,
                          env=env)
    assert done.returncode == 0, done.stdout + done.stderr
