"""``fixorder batch`` changes a repository only in the way asked for (issue 14, item 6).

Each case takes a fingerprint of the repository (HEAD, refs, index, status, stash, in-progress
markers, every file's hash) before and after the real command, and asserts the difference.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.batch_helpers import changed, fingerprint, git, git_bytes, make_repo
from tests.cli_helpers import BROKEN_SCRIPT, CLEAN_SCRIPT, FIXED_SCRIPT, fixorder


def report_entry(tmp_path, name="report.json") -> dict:
    [entry] = json.loads((tmp_path / name).read_text())["repositories"].values()
    return entry


@pytest.mark.parametrize("name", ["-m", "-M", "-f", "--force", "-D", "a..b", "@{-1}", "HEAD", "x.lock", "a b"])
def test_a_branch_name_git_would_read_otherwise_is_refused_before_any_repository(tmp_path, name):
    repo = make_repo(tmp_path, "repo", {"train.py": BROKEN_SCRIPT})
    git(repo, "checkout", "-q", "-b", "work")  # a previous branch, so @{-1} means something
    before = fingerprint(repo)
    proc = fixorder("batch", "--fix", f"--branch={name}", "repo", cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith(f"Error: --branch: invalid branch name {name!r}")
    assert changed(before, fingerprint(repo)) == {}


def _rebase_stopped_at_edit(repo):
    (repo / "notes.txt").write_text("second\n")
    git(repo, "add", "notes.txt")
    git(repo, "commit", "-q", "-m", "second")
    git(repo, "rebase", "-q", "-i", "HEAD~1", env={"GIT_SEQUENCE_EDITOR": "sed -i s/^pick/edit/"})


def _merge_without_commit(repo):
    git(repo, "checkout", "-q", "-b", "side")
    (repo / "side.txt").write_text("side\n")
    git(repo, "add", "side.txt")
    git(repo, "commit", "-q", "-m", "side")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-commit", "--no-ff", "side")


def _cherry_pick_conflict(repo):
    git(repo, "checkout", "-q", "-b", "side")
    (repo / "notes.txt").write_text("side\n")
    git(repo, "add", "notes.txt")
    git(repo, "commit", "-q", "-m", "side")
    git(repo, "checkout", "-q", "main")
    (repo / "notes.txt").write_text("main\n")
    git(repo, "add", "notes.txt")
    git(repo, "commit", "-q", "-m", "main")
    subprocess.run(["git", "cherry-pick", "side"], cwd=repo, capture_output=True)


def _revert_without_commit(repo):
    (repo / "notes.txt").write_text("second\n")
    git(repo, "add", "notes.txt")
    git(repo, "commit", "-q", "-m", "second")
    git(repo, "revert", "--no-commit", "HEAD")


def _bisect(repo):
    git(repo, "bisect", "start")


BRANCH_AND_FIX = ["--fix", "--branch", "fixorder/fix"]


@pytest.mark.parametrize("start, name, flags", [
    (_rebase_stopped_at_edit, "a rebase", BRANCH_AND_FIX), (_rebase_stopped_at_edit, "a rebase", ["--fix"]),
    (_rebase_stopped_at_edit, "a rebase", ["--branch", "fixorder/fix"]),
    (_merge_without_commit, "a merge", BRANCH_AND_FIX),
    (_cherry_pick_conflict, "a cherry-pick", BRANCH_AND_FIX), (_revert_without_commit, "a revert", BRANCH_AND_FIX),
    (_bisect, "a bisect", BRANCH_AND_FIX), (_bisect, "a bisect", ["--fix"])])
def test_nothing_is_written_while_an_operation_is_in_progress(tmp_path, start, name, flags):
    repo = make_repo(tmp_path, "repo", {"train.py": BROKEN_SCRIPT})
    start(repo)
    before = fingerprint(repo)
    assert before["markers"], "the operation left its marker in the git directory"
    proc = fixorder("batch", *flags, "--report", "report.json", "repo", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    entry = report_entry(tmp_path)
    assert (entry["status"], entry["reason"]) == ("skipped", f"{name} is in progress: finish or abort it first")
    assert changed(before, fingerprint(repo)) == {}


def test_an_operation_in_progress_does_not_stop_a_plain_check(tmp_path):
    repo = make_repo(tmp_path, "repo", {"train.py": BROKEN_SCRIPT})
    _bisect(repo)
    before = fingerprint(repo)
    proc = fixorder("batch", "--report", "report.json", "repo", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert report_entry(tmp_path)["findings"] == {"FO101": 1}
    assert changed(before, fingerprint(repo)) == {}


def test_branch_commits_the_tracked_fixes_and_lists_the_untracked_ones(tmp_path):
    repo = make_repo(tmp_path, "repo", {"tracked.py": BROKEN_SCRIPT})
    (repo / "scratch.py").write_text(BROKEN_SCRIPT)  # untracked, with a finding
    before = fingerprint(repo)
    proc = fixorder("batch", "--branch", "fixorder/fix", "--report", "report.json", "repo", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    entry = report_entry(tmp_path)
    assert entry["status"] == "done" and entry["reason"] == ""
    assert entry["skipped_files"] == ["scratch.py: untracked, not committed"]
    assert (entry["fixable"], entry["fixed"]) == (2, 1)
    assert changed(before, fingerprint(repo)) == {"refs": ["refs/heads/fixorder/fix"]}
    assert git(repo, "show", "fixorder/fix:tracked.py") == FIXED_SCRIPT
    assert git(repo, "ls-tree", "-r", "--name-only", "fixorder/fix").split() == ["tracked.py"]
    assert "1 fix not committed" in proc.stdout


def test_only_untracked_fixes_make_no_branch(tmp_path):
    repo = make_repo(tmp_path, "repo", {"clean.py": CLEAN_SCRIPT})
    (repo / "scratch.py").write_text(BROKEN_SCRIPT)
    before = fingerprint(repo)
    proc = fixorder("batch", "--fix", "--branch", "fixorder/fix", "--report", "report.json", "repo", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    entry = report_entry(tmp_path)
    assert (entry["status"], entry["branch"], entry["commit"], entry["fixed"]) == ("done", None, None, 0)
    assert entry["skipped_files"] == ["scratch.py: untracked, not committed"]
    assert changed(before, fingerprint(repo)) == {}


NAMES = {"newline": b"train\nset.py", "tab": b"train\tset.py", "latin-1": b"caf\xe9.py", "quote": b'say "hi".py',
         "backslash": b"back\\slash.py", "glob": b"*.py", "dash": b"-rf.py"}


@pytest.mark.parametrize("kind", sorted(NAMES))
def test_strange_file_names_are_committed_applied_and_patched(tmp_path, kind):
    name = NAMES[kind]
    repo = make_repo(tmp_path, "repo", {name: BROKEN_SCRIPT, "plain.py": BROKEN_SCRIPT})
    before = fingerprint(repo)
    proc = fixorder("batch", "--branch", "fixorder/fix", "--patch-dir", "patches", "--report", "report.json", "repo",
                    cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    entry = report_entry(tmp_path)
    assert entry["status"] == "done", entry["reason"]
    assert entry["fixed"] == 2 and entry["skipped_files"] == []
    assert changed(before, fingerprint(repo)) == {"refs": ["refs/heads/fixorder/fix"]}
    assert git_bytes(repo, "show", b"fixorder/fix:" + name).decode() == FIXED_SCRIPT
    assert git_bytes(repo, "show", "fixorder/fix:plain.py").decode() == FIXED_SCRIPT
    # The patch (bytes, names quoted as git quotes them) applies to a fresh clone.
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    git(clone, "apply", str(tmp_path / "patches" / "repo.patch"))
    assert (clone / os.fsdecode(name)).read_text() == FIXED_SCRIPT
    # --fix applies it to the working tree.
    proc = fixorder("batch", "--fix", "--report", "fix.json", "repo", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (repo / os.fsdecode(name)).read_text() == FIXED_SCRIPT


def test_a_bare_repository_given_as_a_path_is_checked_through_a_clone(tmp_path):
    source = make_repo(tmp_path, "source", {"train.py": BROKEN_SCRIPT})
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(source), str(bare))
    before = fingerprint(bare)
    proc = fixorder("batch", "--fix", "--branch", "fixorder/fix", "--workdir", "work", "--report", "report.json",
                    "bare.git", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    entry = report_entry(tmp_path)
    assert entry["status"] == "done" and entry["findings"] == {"FO101": 1} and entry["fixed"] == 1
    assert entry["checkout"].startswith(str(tmp_path / "work"))
    assert changed(before, fingerprint(bare)) == {}  # nothing pushed without --push


def test_an_empty_bare_repository_has_nothing_to_check(tmp_path):
    git(tmp_path, "init", "-q", "--bare", "empty.git")
    before = fingerprint(tmp_path / "empty.git")
    proc = fixorder("batch", "--workdir", "work", "--report", "report.json", "empty.git", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    entry = report_entry(tmp_path)
    assert (entry["status"], entry["reason"]) == ("skipped", "bare repository with no commits: nothing to check")
    assert changed(before, fingerprint(tmp_path / "empty.git")) == {}


def test_a_repository_with_no_commits_is_checked_but_not_branched(tmp_path):
    repo = make_repo(tmp_path, "fresh", {"train.py": BROKEN_SCRIPT}, commit=False)
    git(repo, "add", "train.py")  # staged, never committed
    before = fingerprint(repo)
    proc = fixorder("batch", "--fix", "--branch", "fixorder/fix", "--report", "report.json", "fresh", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    entry = report_entry(tmp_path)
    assert entry["status"] == "skipped", entry
    assert entry["reason"] in ("no commits yet: nothing to branch from (the findings are listed)",
                               "working tree has uncommitted changes")
    assert changed(before, fingerprint(repo)) == {}
    # Nothing staged: the findings are listed with the reason.
    other = make_repo(tmp_path, "untouched", {"train.py": BROKEN_SCRIPT}, commit=False)
    before = fingerprint(other)
    proc = fixorder("batch", "--branch", "fixorder/fix", "--report", "other.json", "untouched", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    entry = report_entry(tmp_path, "other.json")
    assert (entry["status"], entry["reason"]) == ("skipped", "no commits yet: nothing to branch from "
                                                              "(the findings are listed)")
    assert entry["findings"] == {"FO101": 1} and entry["fixed"] == 0
    assert changed(before, fingerprint(other)) == {}


def test_branch_without_fix_adds_one_ref_and_changes_nothing_else(tmp_path):
    repo = make_repo(tmp_path, "repo", {"train.py": BROKEN_SCRIPT, "clean.py": CLEAN_SCRIPT})
    (repo / ".gitignore").write_text("build/\n")
    (repo / "build").mkdir()
    (repo / "build" / "gen.py").write_text(BROKEN_SCRIPT)
    git(repo, "add", ".gitignore")
    git(repo, "commit", "-q", "-m", "ignore")
    git(repo, "stash", "list")
    before = fingerprint(repo)
    proc = fixorder("batch", "--branch", "fixorder/fix", "repo", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert changed(before, fingerprint(repo)) == {"refs": ["refs/heads/fixorder/fix"]}
    # And --fix --branch moves HEAD to the branch and changes the fixed file only.
    git(repo, "branch", "-D", "fixorder/fix")
    proc = fixorder("batch", "--fix", "--branch", "fixorder/fix", "repo", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    after = fingerprint(repo)
    difference = changed(before, after)
    assert sorted(difference) == ["HEAD", "files", "index", "refs"]
    assert difference["refs"] == ["refs/heads/fixorder/fix"] and after["HEAD"] == b"refs/heads/fixorder/fix"
    assert {k for k in before["files"] if before["files"][k] != after["files"][k]} == {b"train.py"}
