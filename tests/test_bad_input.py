"""Bad input costs one line naming the file, never the run, a crash or a partial file.

Every test puts one bad input beside a good script with a real FO101 finding and runs the real
command line with ``--fix``: the bad input gets exactly one ``fixorder: error: <path>: ...``
line and is left byte-identical, the good script is still fixed, the exit code is 2 and no
temporary file is left behind.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

from tests.safety_support import error_lines, reachable_directory, run_fixorder

GOOD = '''import tensorflow as tf

augment = tf.keras.Sequential([tf.keras.layers.RandomFlip("horizontal")])
base = tf.keras.applications.MobileNetV2(include_top=False)
images = tf.random.uniform((2, 224, 224, 3), maxval=255)
features = base(augment(images, training=True))
'''
# The fixed line would be longer than the file's longest line: the fix wraps it (README, Formatting).
GOOD_FIXED = GOOD.replace("base(augment(images, training=True))",
                          "base(\n    tf.keras.applications.mobilenet_v2.preprocess_input(augment(images, training=True))\n)")


def snapshot(directory: Path) -> dict[str, bytes]:
    out = {}
    for root, _, files in os.walk(directory):
        for name in files:
            path = Path(root) / name
            if path.is_file() and not path.is_symlink():
                out[str(path.relative_to(directory))] = path.read_bytes()
    return out


def check_one_bad_file(directory: Path, bad_name: str, *extra_args: str, reason: str,
                       unprivileged: bool = False) -> str:
    """Run ``fixorder --fix`` on ``directory`` (plus ``extra_args``) and check the contract."""
    (directory / "good.py").write_text(GOOD, encoding="utf-8")
    before = snapshot(directory)
    proc = run_fixorder("--fix", "--no-cache", ".", *extra_args, cwd=directory, unprivileged=unprivileged)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    [line] = error_lines(proc)
    assert line.startswith(f"fixorder: error: {bad_name}: "), line
    assert reason in line, line
    after = snapshot(directory)
    assert after.pop("good.py") == GOOD_FIXED.encode("utf-8")  # the run went on and fixed it
    before.pop("good.py")
    assert after == before  # the bad input is byte-identical and no temporary file remains
    return line


def test_syntax_error(tmp_path):
    (tmp_path / "broken.py").write_text("import keras.applications\ndef f(:\n    pass\n", encoding="utf-8")
    check_one_bad_file(tmp_path, "broken.py", reason="syntax error at line 2, column 7")


def test_python2_source(tmp_path):
    (tmp_path / "legacy.py").write_text('import keras.applications\nprint "images:", keras.applications.__name__\n', encoding="utf-8")
    check_one_bad_file(tmp_path, "legacy.py", reason="Missing parentheses in call to 'print'")


def test_undecodable_bytes(tmp_path):
    (tmp_path / "latin.py").write_bytes(b"# no coding declaration\nLABEL = 'caf\xe9'\n")
    check_one_bad_file(tmp_path, "latin.py", reason="not valid utf-8: byte 0xe9 on line 2")


def test_undecodable_bytes_in_a_file_the_pre_filter_rejects(tmp_path):
    """No ``coding`` in the first lines, so no tokenize: the rejected file is still checked to
    decode (kills the mutant that skips the check for every UTF-8 file, benchmarks/mutate.py)."""
    (tmp_path / "labels.py").write_bytes(b"LABELS = ['caf\xe9', 'tea']\n")
    check_one_bad_file(tmp_path, "labels.py", reason="not valid utf-8: byte 0xe9 on line 1")


def test_unknown_encoding_declaration(tmp_path):
    (tmp_path / "cookie.py").write_bytes(b"# -*- coding: no-such-codec -*-\nx = 1\n")
    check_one_bad_file(tmp_path, "cookie.py", reason="unknown encoding")


def test_nul_bytes(tmp_path):
    (tmp_path / "nul.py").write_bytes(b"x = 1\n\x00\x00\x00y = 2\n")
    check_one_bad_file(tmp_path, "nul.py", reason="binary file")


def test_binary_file_named_py(tmp_path):
    (tmp_path / "program.py").write_bytes(Path(sys.executable).resolve().read_bytes()[:65536])  # an ELF binary
    check_one_bad_file(tmp_path, "program.py", reason="binary file")


def test_empty_file_is_valid_python_and_not_an_error(tmp_path):
    """An empty file (every package's __init__.py) is valid source: no error, left empty."""
    (tmp_path / "__init__.py").write_bytes(b"")
    (tmp_path / "good.py").write_text(GOOD, encoding="utf-8")
    proc = run_fixorder("--fix", ".", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert error_lines(proc) == [] and "2 files checked" in proc.stderr
    assert (tmp_path / "__init__.py").read_bytes() == b""
    assert (tmp_path / "good.py").read_text(encoding="utf-8") == GOOD_FIXED


def test_fifty_megabyte_generated_file(tmp_path):
    block = "".join(f"def layer_{i}(x):\n    return x * {i} + 1\n\n" for i in range(1000))
    with open(tmp_path / "generated.py", "w", encoding="utf-8") as handle:
        for _ in range(50_000_000 // len(block) + 1):
            handle.write(block)
    assert (tmp_path / "generated.py").stat().st_size >= 50_000_000
    started = time.monotonic()
    check_one_bad_file(tmp_path, "generated.py", reason="size limit")
    assert time.monotonic() - started < 60


def test_directory_symlink_loop_inside_the_tree_is_not_followed(tmp_path):
    """``up -> ..`` would make a naive walk endless; the good file is checked exactly once."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "up").symlink_to("..")
    (package / "self").symlink_to("self")
    (package / "good.py").write_text(GOOD, encoding="utf-8")
    proc = run_fixorder(".", "--output-format", "concise", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.count("good.py:6:") == 1 and "1 file checked" in proc.stderr


def test_file_symlink_loop_found_in_the_tree_and_given_on_the_command_line(tmp_path):
    walked, explicit = tmp_path / "walked", tmp_path / "explicit"
    walked.mkdir(), explicit.mkdir()
    (walked / "loop.py").symlink_to("loop.py")
    check_one_bad_file(walked, "loop.py", reason="symbolic link loop")
    (explicit / "loop.py").symlink_to("loop.py")
    proc = run_fixorder("loop.py", cwd=explicit)
    assert proc.returncode == 2 and error_lines(proc) == ["fixorder: error: loop.py: broken symbolic link or link loop"]


def test_fifo_named_py_is_skipped_without_blocking(tmp_path):
    """A FIFO blocks any reader, root included: reading it would hang the run forever."""
    os.mkfifo(tmp_path / "pipe.py")
    check_one_bad_file(tmp_path, "pipe.py", reason="not a regular file")


def test_unreadable_file():
    """chmod 000 stops nobody but root, so the run drops to the user nobody (see safety_support)."""
    with reachable_directory() as top:
        secret = top / "secret.py"
        secret.write_text(GOOD, encoding="utf-8")
        os.chmod(secret, 0o000)
        os.chmod(top, 0o777)  # nobody may replace good.py in this directory
        (top / "good.py").write_text(GOOD, encoding="utf-8")
        os.chmod(top / "good.py", 0o666)
        proc = run_fixorder("--fix", "--no-cache", ".", cwd=top, unprivileged=True)
        assert proc.returncode == 2, proc.stderr
        [line] = error_lines(proc)
        assert line == "fixorder: error: secret.py: cannot read: Permission denied"
        assert (top / "good.py").read_text(encoding="utf-8") == GOOD_FIXED
        os.chmod(secret, 0o644)
        assert secret.read_text(encoding="utf-8") == GOOD


def test_unreadable_directory():
    with reachable_directory() as top:
        private = top / "private"
        private.mkdir()
        (private / "inner.py").write_text(GOOD, encoding="utf-8")
        os.chmod(private, 0o000)
        (top / "good.py").write_text(GOOD, encoding="utf-8")
        proc = run_fixorder("--no-cache", ".", "--output-format", "concise", cwd=top, unprivileged=True)
        assert proc.returncode == 2, proc.stderr
        [line] = error_lines(proc)
        assert "private" in line and "cannot read directory: Permission denied" in line
        assert "good.py:6:" in proc.stdout


def test_read_only_file_with_fix(tmp_path):
    (tmp_path / "locked.py").write_text(GOOD, encoding="utf-8")
    os.chmod(tmp_path / "locked.py", 0o444)
    check_one_bad_file(tmp_path, "locked.py", reason="read-only file; not modified")
    assert oct(os.stat(tmp_path / "locked.py").st_mode & 0o777) == "0o444"


def test_path_that_does_not_exist(tmp_path):
    check_one_bad_file(tmp_path, "missing.py", "missing.py", reason="no such file or directory")


def test_invalid_notebook_json(tmp_path):
    (tmp_path / "broken.ipynb").write_text('{"cells": [{"cell_type": "code", "source": ["keras.applications", ', encoding="utf-8")
    check_one_bad_file(tmp_path, "broken.ipynb", "broken.ipynb",
                       reason="invalid notebook JSON at line 1, column 66: Expecting value")


def test_notebook_without_code_cells_is_valid_and_not_an_error(tmp_path):
    """A notebook with only markdown is a valid document with nothing to check."""
    notebook = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# Notes\n"]}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    text = json.dumps(notebook, indent=1) + "\n"
    (tmp_path / "notes.ipynb").write_text(text, encoding="utf-8")
    (tmp_path / "good.py").write_text(GOOD, encoding="utf-8")
    proc = run_fixorder("--fix", ".", "notes.ipynb", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert error_lines(proc) == []
    assert (tmp_path / "notes.ipynb").read_text(encoding="utf-8") == text
    assert (tmp_path / "good.py").read_text(encoding="utf-8") == GOOD_FIXED


@pytest.mark.parametrize("bad_first", [True, False])
def test_many_bad_files_each_get_their_own_line(tmp_path, bad_first):
    (tmp_path / "a_syntax.py").write_text("import keras.applications\ndef f(:\n", encoding="utf-8")
    (tmp_path / "b_nul.py").write_bytes(b"\x00")
    (tmp_path / "c_latin.py").write_bytes(b"x = '\xe9'\n")
    (tmp_path / "good.py").write_text(GOOD, encoding="utf-8")
    paths = ["a_syntax.py", "b_nul.py", "c_latin.py", "missing.py", "good.py"]
    proc = run_fixorder("--fix", *(paths if bad_first else paths[::-1]), cwd=tmp_path)
    assert proc.returncode == 2
    named = sorted(line.split(": ")[2] for line in error_lines(proc))
    assert named == ["a_syntax.py", "b_nul.py", "c_latin.py", "missing.py"]
    assert (tmp_path / "good.py").read_text(encoding="utf-8") == GOOD_FIXED
