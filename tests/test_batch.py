"""``fixorder batch`` over real git repositories in a temporary directory."""

from __future__ import annotations

import json
import os
import subprocess

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from tests.cli_helpers import BROKEN_SCRIPT, CLEAN_SCRIPT, FIXED_SCRIPT, fixorder

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com"}


def git(repo, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}).stdout


def make_repo(root, name: str, files: dict[str, str]):
    repo = root / name
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "init")
    return repo


def test_branch_patch_and_report(tmp_path):
    broken = make_repo(tmp_path, "broken", {"src/train.py": BROKEN_SCRIPT, "src/clean.py": CLEAN_SCRIPT})
    dirty = make_repo(tmp_path, "dirty", {"train.py": BROKEN_SCRIPT})
    (dirty / "train.py").write_text(BROKEN_SCRIPT + "# work in progress\n")
    make_repo(tmp_path, "badconfig", {"train.py": BROKEN_SCRIPT,
                                      "pyproject.toml": "[tool.fixorder]\nstrategy = 'x'\n"})
    syntax = make_repo(tmp_path, "syntax", {"bad.py": "from keras import applications\ndef (:\n", "train.py": BROKEN_SCRIPT})
    report = tmp_path / "report.json"
    proc = fixorder("batch", "--branch", "fixorder/preprocess", "--patch-dir", "patches", "--report", str(report),
                    "--jobs", "2", "broken", "dirty", "badconfig", "syntax", "missing", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr  # two repositories failed, the rest went on
    data = json.loads(report.read_text())["repositories"]
    status = {os.path.basename(path): (entry["status"], entry["reason"]) for path, entry in data.items()}
    assert status["broken"] == ("done", "")
    assert status["dirty"] == ("skipped", "working tree has uncommitted changes")
    assert status["badconfig"][0] == "failed" and "strategy: expected one of insert, fold" in status["badconfig"][1]
    assert status["missing"] == ("failed", "not a directory")
    assert status["syntax"] == ("done", "")
    assert data[str(syntax)]["errors"] and data[str(syntax)]["fixed"] == 1, "a bad file does not stop its repo"

    # The branch has one commit listing the fix; the working tree and current branch are untouched.
    assert git(broken, "show", "fixorder/preprocess:src/train.py") == FIXED_SCRIPT
    assert git(broken, "rev-list", "--count", "main..fixorder/preprocess").strip() == "1"
    message = git(broken, "log", "-1", "--format=%B", "fixorder/preprocess")
    assert message.startswith("fixorder: fix 1 finding (FO101)\n")
    assert "- src/train.py:8 FO101 missing-preprocess-input: apply" in message
    assert (broken / "src" / "train.py").read_text() == BROKEN_SCRIPT
    assert git(broken, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"
    assert git(dirty, "branch", "--list", "fixorder/preprocess") == ""

    # The patch applies with git apply to a fresh clone.
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(broken), str(clone))
    git(clone, "apply", str(tmp_path / "patches" / "broken.patch"))
    assert (clone / "src" / "train.py").read_text() == FIXED_SCRIPT

    # The table names every repository and its outcome.
    assert "broken" in proc.stdout and "working tree has uncommitted changes" in proc.stdout
    assert "5 repositories: 2 done, 1 skipped, 2 failed" in proc.stdout

    # A re-run with the report skips what is done (the branch would otherwise exist already).
    again = fixorder("batch", "--branch", "fixorder/preprocess", "--report", str(report), "broken", "syntax",
                     cwd=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.count("already done (in the report)") == 2


def test_fix_uses_each_repositorys_config_and_handles_notebooks(tmp_path):
    plain = make_repo(tmp_path, "plain", {"train.py": BROKEN_SCRIPT})
    configured = make_repo(tmp_path, "configured", {"train.py": BROKEN_SCRIPT,
                                                    "pyproject.toml": "[tool.fixorder]\nignore = ['FO101']\n"})
    folded = make_repo(tmp_path, "folded", {"train.py": BROKEN_SCRIPT,
                                            "pyproject.toml": "[tool.fixorder]\nstrategy = 'fold'\n"})
    notebook = new_notebook(cells=[new_code_cell("%matplotlib inline\n" + BROKEN_SCRIPT.rstrip("\n"))])
    nb_repo = make_repo(tmp_path, "notebooks", {"train.ipynb": nbformat.writes(notebook) + "\n"})
    (tmp_path / "repos.txt").write_text("# repositories\nplain\n\nconfigured\nfolded\nnotebooks\n")
    proc = fixorder("batch", "--fix", "--repos-from", "repos.txt", "--patch-dir", "patches", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (plain / "train.py").read_text() == FIXED_SCRIPT
    assert (configured / "train.py").read_text() == BROKEN_SCRIPT
    assert "def augment_and_preprocess" in (folded / "train.py").read_text()
    cell = "".join(json.loads((nb_repo / "train.ipynb").read_text())["cells"][0]["source"])
    assert cell.startswith("%matplotlib inline\n") and "preprocess_input(x)" in cell
    assert not (tmp_path / "patches" / "configured.patch").exists()
    # The notebook patch is a whole-file diff that git applies to the committed notebook.
    git(nb_repo, "stash")
    git(nb_repo, "apply", str(tmp_path / "patches" / "notebooks.patch"))
    assert "preprocess_input(x)" in (nb_repo / "train.ipynb").read_text()


def test_usage_errors(tmp_path):
    assert fixorder("batch", cwd=tmp_path).returncode == 2
    make_repo(tmp_path, "repo", {"train.py": BROKEN_SCRIPT})
    proc = fixorder("batch", "--select", "FO9", "repo", cwd=tmp_path)
    assert proc.returncode == 2 and "--select: unknown rule code or prefix: FO9" in proc.stderr


def test_progress_names_each_repository_in_ci_and_on_a_terminal(tmp_path):
    import shlex
    import shutil
    import sys

    import pytest

    if shutil.which("script") is None:
        pytest.skip("util-linux `script` is needed to give the batch a terminal")
    make_repo(tmp_path, "one", {"train.py": BROKEN_SCRIPT})
    make_repo(tmp_path, "two", {"train.py": CLEAN_SCRIPT})
    # Off a terminal (CI): one line per repository as it finishes, naming it.
    piped = fixorder("batch", "-j", "1", "one", "two", cwd=tmp_path)
    lines = [line for line in piped.stderr.splitlines() if line.startswith("fixorder batch: [")]
    assert [line.split(" running")[0][:-2] for line in lines] == [
        "fixorder batch: [1/2] done one (1 done, 0 skipped, 0 failed,",
        "fixorder batch: [2/2] done two (2 done, 0 skipped, 0 failed,"], piped.stderr
    assert lines[-1].endswith("0 running)")
    command = shlex.join([sys.executable, "-m", "fixorder", "batch", "-j", "1", "one", "two"])
    on_tty = subprocess.run(["script", "-qec", command, "/dev/null"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=300)
    assert on_tty.returncode == 0, on_tty.stdout
    assert "checking one" in on_tty.stdout and "[2/2] 2 done" in on_tty.stdout
    assert "fixorder batch: [" not in on_tty.stdout  # a status line that is rewritten, not a log


def test_fix_with_branch_checks_the_branch_out(tmp_path):
    repo = make_repo(tmp_path, "repo", {"train.py": BROKEN_SCRIPT})
    proc = fixorder("batch", "--fix", "--branch", "fixorder/fix", "repo", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert git(repo, "rev-parse", "--abbrev-ref", "HEAD").strip() == "fixorder/fix"
    assert (repo / "train.py").read_text() == FIXED_SCRIPT
    assert git(repo, "status", "--porcelain") == ""


def test_a_corrupt_report_is_an_error_before_any_repository(tmp_path):
    repo = make_repo(tmp_path, "repo", {"train.py": BROKEN_SCRIPT})
    (tmp_path / "report.json").write_text("{not json")
    proc = fixorder("batch", "--fix", "--report", "report.json", "repo", cwd=tmp_path)
    assert proc.returncode == 2 and "report.json: cannot read the report" in proc.stderr
    assert (repo / "train.py").read_text() == BROKEN_SCRIPT


def test_a_file_analysed_only_in_part_is_a_warning_in_the_report(tmp_path):
    from tests.test_analysis_budget import fanout_chain

    make_repo(tmp_path, "big", {"blown_up.py": fanout_chain(fanout=12), "train.py": BROKEN_SCRIPT})
    report = tmp_path / "report.json"
    proc = fixorder("batch", "--report", str(report), "big", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    [entry] = json.loads(report.read_text())["repositories"].values()
    assert entry["status"] == "done" and entry["errors"] == []
    assert [w.split(":")[0] for w in entry["warnings"]] == ["blown_up.py"]
    assert "analysis reached its work budget" in entry["warnings"][0]
    assert "1 file warning" in proc.stdout + proc.stderr


def test_a_folder_named_fixorder_in_the_callers_folder_does_not_shadow_the_package(tmp_path):
    import sys
    from pathlib import Path

    script = Path(sys.executable).parent / "fixorder"  # the installed console script, as users run it
    shadow = tmp_path / "fixorder"
    shadow.mkdir()
    (shadow / "__init__.py").write_text("raise ImportError('the shadow package was imported')\n")
    (shadow / "batch_worker.py").write_text("raise ImportError('the shadow worker was imported')\n")
    repo = make_repo(tmp_path, "repo", {"train.py": BROKEN_SCRIPT, "fixorder/__init__.py": "raise SystemExit(3)\n"})
    proc = subprocess.run([str(script), "batch", "--report", "report.json", "repo"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [entry] = json.loads((tmp_path / "report.json").read_text())["repositories"].values()
    assert entry["status"] == "done" and entry["findings"] == {"FO101": 1}
    assert (repo / "train.py").read_text() == BROKEN_SCRIPT


def test_without_fix_the_table_counts_fixable_not_fixed_and_the_report_has_locations(tmp_path):
    repo = make_repo(tmp_path, "repo", {"train.py": BROKEN_SCRIPT, "src/b.py": BROKEN_SCRIPT})
    proc = fixorder("batch", "--report", "report.json", "repo", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    header, row = proc.stdout.splitlines()[:2]
    assert header.split() == ["repository", "status", "files", "findings", "fixable", "fixed", "note"]
    assert row.split() == ["repo", "done", "2", "FO101=2", "2", "0"]
    assert "1 repository: 1 done, 0 skipped, 0 failed; 2 findings, 2 fixable, 0 fixed; 2 files with fixes" \
        in proc.stdout
    [entry] = json.loads((tmp_path / "report.json").read_text())["repositories"].values()
    assert entry["fixable"] == 2 and entry["fixed"] == 0 and entry["applied"] is False
    assert [(loc["path"], loc["line"], loc["column"], loc["code"]) for loc in entry["locations"]] == [
        ("src/b.py", 8, 5, "FO101"), ("train.py", 8, 5, "FO101")]
    assert entry["locations"][0]["message"].startswith("MobileNetV2 expects")
    assert (repo / "train.py").read_text() == BROKEN_SCRIPT
    fixed = fixorder("batch", "--fix", "repo", cwd=tmp_path)
    assert fixed.stdout.splitlines()[1].split() == ["repo", "done", "2", "FO101=2", "2", "2"]
    assert "2 fixed; 2 files changed" in fixed.stdout


def test_repos_from_ignores_comments_at_the_end_of_a_line(tmp_path):
    make_repo(tmp_path, "one", {"train.py": CLEAN_SCRIPT})
    make_repo(tmp_path, "two words", {"train.py": CLEAN_SCRIPT})
    (tmp_path / "repos.txt").write_text("# the team's repositories\none   # the first one\n  two words\t# spaces\n\n")
    proc = fixorder("batch", "--repos-from", "repos.txt", "--report", "report.json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    keys = sorted(os.path.basename(k) for k in json.loads((tmp_path / "report.json").read_text())["repositories"])
    assert keys == ["one", "two words"]
    assert "2 repositories: 2 done" in proc.stdout


def test_jobs_defaults_to_the_cpu_count(tmp_path):
    proc = fixorder("batch", "--help", cwd=tmp_path)
    assert "[default: (the CPU count); x>=1]" in " ".join(proc.stdout.split())
