"""A damaged or unusable cache never stops a run, and a changed file is never served from it
(issue 16, items 2 and 3).  Every case runs the real command line on a script with one FO101."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from tests.cli_helpers import BROKEN_SCRIPT, FIXED_SCRIPT, fixorder
from tests.safety_support import reachable_directory, run_fixorder


def _warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("fixorder: warning:")]


def _results_file(tmp_path: Path) -> Path:
    [path] = (tmp_path / ".fixorder_cache").glob("results-*.json")
    return path


def _rename_key(data):
    entry = next(iter(data["files"].values()))
    entry["sise"] = entry.pop("size")


def _files_a_list(data):
    data["files"] = []


def _entry_without_findings(data):
    next(iter(data["files"].values()))["result"].pop("findings")


def _finding_line_a_string(data):
    next(iter(data["files"].values()))["result"]["findings"][0]["line"] = "14"


def _not_an_object(data):
    return [data]


# damage -> (how, the reason the warning gives; {entry} is the damaged entry's path)
DAMAGE = {"a renamed key": (_rename_key, "bad entry for {entry}"),
          '"files": []': (_files_a_list, '"files" is not an object'),
          "an entry without findings": (_entry_without_findings, "bad entry for {entry}"),
          "a finding's line as a string": (_finding_line_a_string, "bad entry for {entry}"),
          "a list at the top": (_not_an_object, "not an object")}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_cache_that_is_valid_json_but_damaged_is_discarded_with_a_warning(tmp_path, damage):
    (tmp_path / "train.py").write_text(BROKEN_SCRIPT)
    cold = fixorder("--output-format", "concise", "train.py", cwd=tmp_path)
    assert cold.returncode == 1
    path = _results_file(tmp_path)
    data = json.loads(path.read_text())
    how, reason = DAMAGE[damage]
    data = how(data) or data
    path.write_text(json.dumps(data))
    out = fixorder("--output-format", "concise", "train.py", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    assert out.stdout == cold.stdout
    reason = reason.format(entry=(tmp_path / "train.py").resolve())
    assert _warnings(out.stderr) == [f"fixorder: warning: {path.relative_to(tmp_path)}: damaged cache ({reason}); "
                                     "discarded"]
    # The damaged file was replaced by a good one: the next run is quiet and a cache hit.
    again = fixorder("--output-format", "concise", "train.py", cwd=tmp_path)
    assert again.returncode == 1 and _warnings(again.stderr) == [] and again.stdout == cold.stdout


def test_deeply_nested_cache_json_is_discarded(tmp_path):
    (tmp_path / "train.py").write_text(BROKEN_SCRIPT)
    fixorder("train.py", cwd=tmp_path)
    path = _results_file(tmp_path)
    path.write_text("[" * 100_000 + "]" * 100_000)
    out = fixorder("--output-format", "concise", "train.py", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    assert _warnings(out.stderr) == [f"fixorder: warning: {path.relative_to(tmp_path)}: damaged cache "
                                     "(not valid JSON (RecursionError)); discarded"]


def test_a_cache_directory_that_is_a_file_means_running_without_the_cache(tmp_path):
    (tmp_path / "train.py").write_text(BROKEN_SCRIPT)
    (tmp_path / ".fixorder_cache").write_text("not a directory\n")
    out = fixorder("--fix", "train.py", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "train.py").read_text() == FIXED_SCRIPT
    assert _warnings(out.stderr) == [
        "fixorder: warning: .fixorder_cache: cannot read the cache: Not a directory; running without the cache"]
    assert (tmp_path / ".fixorder_cache").read_text() == "not a directory\n"


def test_a_results_path_that_is_a_directory_leaks_no_temporary_file(tmp_path):
    (tmp_path / "train.py").write_text(BROKEN_SCRIPT)
    fixorder("train.py", cwd=tmp_path)
    path = _results_file(tmp_path)
    path.unlink()
    path.mkdir()
    for _ in range(2):
        out = fixorder("--output-format", "concise", "train.py", cwd=tmp_path)
        assert out.returncode == 1, out.stderr
        assert len(_warnings(out.stderr)) == 1 and "running without the cache" in out.stderr
    assert sorted(p.name for p in (tmp_path / ".fixorder_cache").iterdir()) == \
        sorted([".gitignore", "CACHEDIR.TAG", path.name])


def test_an_unreadable_cache_directory_means_running_without_it():
    with reachable_directory() as top:
        (top / "train.py").write_text(BROKEN_SCRIPT)
        os.chmod(top / "train.py", 0o666)
        os.chmod(top, 0o777)
        assert run_fixorder("-q", "train.py", cwd=top).returncode == 1
        os.chmod(top / ".fixorder_cache", 0o000)
        out = run_fixorder("--fix", "train.py", cwd=top, unprivileged=True)
        assert out.returncode == 0, out.stderr
        assert (top / "train.py").read_text() == FIXED_SCRIPT
        assert _warnings(out.stderr) == [
            "fixorder: warning: .fixorder_cache: cannot read the cache: Permission denied; running without the cache"]


# ------------------------------------------------------------------ stale results (item 3)
def _same_size_edit_with_mtime_restored(path: Path, text: str) -> None:
    st = path.stat()
    path.write_text(text)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def _age(path: Path) -> None:
    """Make the file's times old, so the cache does not treat its entry as racy."""
    old = time.time_ns() - 3600 * 10**9
    os.utime(path, ns=(old, old))


# Same length as BROKEN_SCRIPT's line: the edit keeps the size.
CLEAN_SAME_SIZE = BROKEN_SCRIPT.replace("x = augment(inputs)\n", "x = 0 or ((inputs))\n")


def test_a_same_size_edit_with_the_mtime_restored_is_not_served_from_the_cache(tmp_path):
    """As ``cp -p`` or ``rsync -a`` do: the ctime (and with cp, the inode) still changes."""
    target = tmp_path / "train.py"
    assert len(CLEAN_SAME_SIZE) == len(BROKEN_SCRIPT)
    target.write_text(CLEAN_SAME_SIZE)
    _age(target)
    time.sleep(0.01)
    assert fixorder("-q", "train.py", cwd=tmp_path).returncode == 0
    _same_size_edit_with_mtime_restored(target, BROKEN_SCRIPT)
    out = fixorder("--fix", "train.py", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert target.read_text() == FIXED_SCRIPT


def test_cp_p_over_a_cached_file_is_noticed(tmp_path):
    target = tmp_path / "train.py"
    target.write_text(BROKEN_SCRIPT)
    _age(target)
    assert fixorder("-q", "train.py", cwd=tmp_path).returncode == 1
    # A clean copy of the same size and the same mtime, copied over it with cp -p.
    clean = tmp_path / "clean"
    clean.write_text(CLEAN_SAME_SIZE)
    st = target.stat()
    os.utime(clean, ns=(st.st_atime_ns, st.st_mtime_ns))
    subprocess.run(["cp", "-p", str(clean), str(target)], check=True)
    assert target.stat().st_mtime_ns == st.st_mtime_ns and target.stat().st_size == st.st_size
    out = fixorder("--output-format", "concise", "train.py", cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr  # no phantom finding


def test_an_entry_stored_right_after_the_file_changed_is_racy(tmp_path):
    """An edit in the same timestamp tick as the store would leave size, mtime and ctime as
    stored: such an entry is marked racy and checked by content next time."""
    target = tmp_path / "train.py"
    target.write_text(CLEAN_SAME_SIZE)
    assert fixorder("-q", "train.py", cwd=tmp_path).returncode == 0
    [path] = (tmp_path / ".fixorder_cache").glob("results-*.json")
    entry = json.loads(path.read_text())["files"][str(target.resolve())]
    assert entry.get("racy") is True
