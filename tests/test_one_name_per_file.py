"""One file is one unit whatever the number of its names in the tree (issue 16, item 10): a
symbolic link beside its target is read, reported and fixed once."""

from __future__ import annotations

import os

from tests.cli_helpers import BROKEN_SCRIPT, FIXED_SCRIPT, fixorder


def _tree(tmp_path):
    (tmp_path / "train.py").write_text(BROKEN_SCRIPT)
    os.symlink("train.py", tmp_path / "link.py")
    (tmp_path / "sub").mkdir()
    os.symlink("../train.py", tmp_path / "sub" / "again.py")


def test_a_file_and_its_links_are_fixed_once_without_an_error(tmp_path):
    _tree(tmp_path)
    out = fixorder("--no-cache", "--fix", ".", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "error" not in out.stderr
    assert out.stderr.splitlines()[-1].startswith("fixorder: 1 file checked")
    assert (tmp_path / "train.py").read_text() == FIXED_SCRIPT
    assert os.readlink(tmp_path / "link.py") == "train.py"


def test_a_file_and_its_links_are_reported_once(tmp_path):
    _tree(tmp_path)
    for cache in (["--no-cache"], [], []):  # cold, then a cache written and read
        out = fixorder(*cache, "--output-format", "concise", ".", cwd=tmp_path)
        assert out.returncode == 1, out.stderr
        assert [line.split(":")[0] for line in out.stdout.splitlines()] == ["train.py"]  # reported under the real file's name
    diff = fixorder("--no-cache", "--diff", ".", cwd=tmp_path)
    assert diff.stdout.count("+++ ") == 1
