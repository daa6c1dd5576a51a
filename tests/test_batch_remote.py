"""Repositories by URL, pushes to bare remotes, and runs that stop and resume (issue 14, items 1-2).

Everything is real: bare repositories in a temporary folder stand in for the hosting service,
reached through ``file://`` URLs and plain paths, and the batch is the real command line.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

from tests.batch_helpers import changed, fingerprint, git, make_bare_remote, make_repo
from tests.cli_helpers import BROKEN_SCRIPT, CLEAN_SCRIPT, FIXED_SCRIPT, ROOT, fixorder


def records(path) -> dict:
    return json.loads(path.read_text())["repositories"]


def test_urls_are_cloned_shallowly_fetched_again_and_branches_pushed(tmp_path):
    remote = make_bare_remote(tmp_path, "service", {"train.py": BROKEN_SCRIPT, "clean.py": CLEAN_SCRIPT})
    url = remote.as_uri()  # file:///.../service.git
    proc = fixorder("batch", "--workdir", "work", "--branch", "fixorder/preprocess", "--push", "--report",
                    "report.json", url, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    entry = records(tmp_path / "report.json")[url]
    checkout = tmp_path / "work" / entry["checkout"].rsplit("/", 1)[-1]
    assert entry["checkout"] == str(checkout) and entry["status"] == "done"
    assert git(checkout, "rev-parse", "--is-shallow-repository").strip() == "true"
    assert entry["head"] == git(remote, "rev-parse", "main").strip()
    assert (entry["branch"], entry["pushed_to"], entry["fixed"]) == ("fixorder/preprocess", url, 1)
    # The branch is on the remote, one commit on top of main, with the fix.
    assert git(remote, "rev-parse", "fixorder/preprocess").strip() == entry["commit"]
    assert git(remote, "rev-parse", f"{entry['commit']}^").strip() == entry["head"]
    assert git(remote, "show", "fixorder/preprocess:train.py") == FIXED_SCRIPT

    # A new commit on the remote: the kept clone is fetched again, not cloned anew.
    source = tmp_path / "sources" / "service"
    (source / "more.py").write_text(BROKEN_SCRIPT)
    git(source, "add", "more.py")
    git(source, "commit", "-q", "-m", "more")
    git(source, "push", "-q", str(remote), "main")
    marker = checkout / ".git" / "kept"
    marker.write_text("the same clone\n")
    proc = fixorder("batch", "--workdir", "work", "--report", "second.json", url, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    entry = records(tmp_path / "second.json")[url]
    assert marker.exists() and entry["checkout"] == str(checkout)
    assert entry["head"] == git(remote, "rev-parse", "main").strip()
    assert entry["findings"] == {"FO101": 2}


def test_url_at_ref_checks_that_branch_or_tag(tmp_path):
    remote = make_bare_remote(tmp_path, "lib", {"train.py": CLEAN_SCRIPT})
    source = tmp_path / "sources" / "lib"
    git(source, "checkout", "-q", "-b", "legacy")
    (source / "old.py").write_text(BROKEN_SCRIPT)
    git(source, "add", "old.py")
    git(source, "commit", "-q", "-m", "legacy")
    git(source, "tag", "v1")
    git(source, "push", "-q", "--tags", str(remote), "legacy")
    before = fingerprint(remote)
    specs = [f"{remote}@legacy", f"{remote.as_uri()}@v1", str(remote)]
    proc = fixorder("batch", "--workdir", "work", "--report", "report.json", *specs, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = records(tmp_path / "report.json")
    assert {spec: (data[spec]["ref"], data[spec]["findings"]) for spec in specs} == {
        specs[0]: ("legacy", {"FO101": 1}), specs[1]: ("v1", {"FO101": 1}), specs[2]: (None, {})}
    assert len({data[spec]["checkout"] for spec in specs}) == 3
    assert changed(before, fingerprint(remote)) == {}


def test_push_remote_pushes_to_a_fork_and_a_missing_ref_fails_alone(tmp_path):
    remote = make_bare_remote(tmp_path, "app", {"train.py": BROKEN_SCRIPT})
    fork = tmp_path / "remotes" / "fork.git"
    git(tmp_path, "clone", "-q", "--bare", str(remote), str(fork))
    before = fingerprint(remote)
    proc = fixorder("batch", "--workdir", "work", "--branch", "fix/keras", "--push-remote", str(fork),
                    "--report", "report.json", str(remote), f"{remote}@no-such-branch", cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    data = records(tmp_path / "report.json")
    entry = data[str(remote)]
    assert entry["status"] == "done" and entry["pushed_to"] == str(fork)
    assert git(fork, "show", "fix/keras:train.py") == FIXED_SCRIPT
    assert changed(before, fingerprint(remote)) == {}  # the origin is untouched
    missing = data[f"{remote}@no-such-branch"]
    assert missing["status"] == "failed" and "couldn't find remote ref no-such-branch" in missing["reason"]


def test_push_of_a_local_checkout_goes_to_its_origin(tmp_path):
    remote = make_bare_remote(tmp_path, "svc", {"train.py": BROKEN_SCRIPT})
    checkout = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", str(remote), str(checkout))
    proc = fixorder("batch", "--branch", "fixorder/fix", "--push", "--report", "report.json", "checkout", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    entry = records(tmp_path / "report.json")[str(checkout)]
    assert entry["pushed_to"] == str(remote) and entry["checkout"] is None
    assert git(remote, "rev-parse", "fixorder/fix").strip() == entry["commit"]


def test_push_needs_branch(tmp_path):
    proc = fixorder("batch", "--push", ".", cwd=tmp_path)
    assert proc.returncode == 2 and "--push needs --branch NAME" in proc.stderr


def test_a_stopped_run_loses_nothing_and_a_rerun_skips_what_is_recorded(tmp_path):
    names = [f"repo{i}" for i in range(5)]
    for name in names:
        make_repo(tmp_path, name, {"train.py": BROKEN_SCRIPT})
    report = tmp_path / "report.json"
    command = [sys.executable, "-m", "fixorder", "batch", "-j", "1", "--branch", "fixorder/fix", "--report",
               str(report), *names]
    run = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                           env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (report.exists() and records(report)):
        time.sleep(0.05)
    run.send_signal(signal.SIGKILL)  # no chance to clean up: what is on disk is all there is
    run.wait(timeout=30)
    first = records(report)  # valid JSON: written whole each time
    assert 1 <= len(first) < len(names)
    assert all(entry["status"] == "done" and entry["commit"] for entry in first.values())

    proc = fixorder("batch", "-j", "2", "--branch", "fixorder/fix", "--report", str(report), *names, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("already done (in the report)") == len(first)
    final = records(report)
    assert sorted(final) == sorted(str(tmp_path / name) for name in names)
    assert all(final[key] == entry for key, entry in first.items())  # recorded ones untouched
    assert all(entry["status"] == "done" and entry["commit"] for entry in final.values())


def test_retry_failed_redoes_only_the_failed_repositories(tmp_path):
    good = make_repo(tmp_path, "good", {"train.py": BROKEN_SCRIPT})
    bad = make_repo(tmp_path, "bad", {"train.py": BROKEN_SCRIPT, "pyproject.toml": "[tool.fixorder]\nstrategy = 1\n"})
    proc = fixorder("batch", "--report", "report.json", "good", "bad", cwd=tmp_path)
    assert proc.returncode == 2
    assert records(tmp_path / "report.json")[str(bad)]["status"] == "failed"
    (bad / "pyproject.toml").write_text("[tool.fixorder]\nstrategy = 'fold'\n")
    again = fixorder("batch", "--report", "report.json", "good", "bad", cwd=tmp_path)
    assert again.returncode == 2  # still failed in the report: nothing was redone
    assert "already failed (in the report)" in again.stdout and "already done (in the report)" in again.stdout
    retried = fixorder("batch", "--retry-failed", "--report", "report.json", "good", "bad", cwd=tmp_path)
    assert retried.returncode == 0, retried.stdout + retried.stderr
    assert "already done (in the report)" in retried.stdout
    lines = [line for line in retried.stderr.splitlines() if line.startswith("fixorder batch: [")]
    assert len(lines) == 1 and " done bad" in lines[0]
    assert records(tmp_path / "report.json")[str(bad)]["status"] == "done"
    assert (good / "train.py").read_text() == BROKEN_SCRIPT


def test_ctrl_c_stops_the_run_with_one_line_and_the_report_resumes(tmp_path):
    names = [f"repo{i}" for i in range(6)]
    for name in names:
        make_repo(tmp_path, name, {"train.py": BROKEN_SCRIPT})
    report = tmp_path / "report.json"
    run = subprocess.Popen([sys.executable, "-m", "fixorder", "batch", "-j", "1", "--report", str(report), *names],
                           cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (report.exists() and records(report)):
        time.sleep(0.05)
    run.send_signal(signal.SIGINT)
    out, err = run.communicate(timeout=120)
    assert run.returncode == 130, out + err
    assert err.strip().splitlines()[-1] == (f"fixorder batch: interrupted; the repositories finished are in {report}: "
                                            "run the same command to resume")
    assert "Traceback" not in err
    first = records(report)
    assert 1 <= len(first) < len(names)
    proc = fixorder("batch", "--report", str(report), *names, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.count("already done (in the report)") == len(first)
    assert len(records(report)) == len(names)
