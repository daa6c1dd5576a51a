"""Any file name the file system allows works in every report and in ``--diff | git apply``:
bytes that are not UTF-8, newlines, tabs, quotes, spaces (issue 16, item 6)."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.cli_helpers import BROKEN_SCRIPT, FIXED_SCRIPT, ROOT

NON_UTF8 = b"caf\xe9.py"
ODD_NAMES = [b"a\nb.py", b"tab\tx.py", b'quo"te.py', b"back\\slash.py", b"sp ace.py", "caf\u00e9.py".encode(), NON_UTF8]


def _run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fixorder", "--no-cache", *args], cwd=cwd, capture_output=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def _write(tmp_path: Path, name: bytes, text: str = BROKEN_SCRIPT) -> Path:
    path = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), name)))
    path.write_text(text)
    return path


@pytest.mark.parametrize("fmt", ["full", "concise", "junit", "json", "sarif", "github"])
@pytest.mark.parametrize("to_file", [False, True], ids=["stdout", "-o"])
def test_a_non_utf8_file_name_is_reported_in_every_format(tmp_path, fmt, to_file):
    _write(tmp_path, NON_UTF8)
    args = ["--output-format", fmt, *(["-o", "report.out"] if to_file else []), "."]
    out = _run(*args, cwd=tmp_path, env={"PYTHONIOENCODING": "utf-8"})
    assert out.returncode == 1, out.stderr
    assert b"Traceback" not in out.stderr
    report = (tmp_path / "report.out").read_bytes() if to_file else out.stdout
    if fmt == "junit":  # XML must be UTF-8: the undecodable byte is spelled out
        root = ET.fromstring(report)
        assert [suite.get("name") for suite in root] == ["caf\\xe9.py"]
    elif fmt in ("json", "sarif"):
        assert b"caf\\udce9.py" in report  # JSON's escape of the byte Python kept
    else:  # text formats give the name's own bytes back
        assert NON_UTF8 in report


def _git(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, timeout=60)


def test_diff_of_files_with_odd_names_applies_with_git(tmp_path):
    paths = [_write(tmp_path, name) for name in ODD_NAMES]
    _git("init", "-q", cwd=tmp_path)
    diff = _run("--diff", ".", cwd=tmp_path)
    assert diff.returncode == 1, diff.stderr
    assert b'--- "a/a\\nb.py"\n' in diff.stdout and b'--- "a/caf\\351.py"\n' in diff.stdout
    applied = _git("apply", "-v", "-", cwd=tmp_path, stdin=diff.stdout)
    assert applied.returncode == 0, applied.stderr
    for path in paths:
        assert path.read_text() == FIXED_SCRIPT, path


def test_fix_handles_odd_names(tmp_path):
    paths = [_write(tmp_path, name) for name in ODD_NAMES]
    out = _run("--fix", ".", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    for path in paths:
        assert path.read_text() == FIXED_SCRIPT, path
