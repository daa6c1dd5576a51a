"""One pathological file costs a one-line error and FO001 for that file; the run goes on."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

from fixorder import rules
from fixorder.inputs.options import Options
from fixorder.run.runner import run

ROOT = Path(__file__).resolve().parent.parent
GOOD = (ROOT / "testdata" / "FO101" / "nested_calls.py").read_text(encoding="utf-8")


def _codes(result):
    return sorted((f.path.rsplit("/", 1)[-1], f.code) for f in result.findings)


def test_file_over_the_size_limit_is_skipped_with_one_line_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a_good.py").write_text(GOOD)
    (tmp_path / "b_big.py").write_text(GOOD + "# padding\n" * 400)
    result = run(["."], Options(), max_bytes=2_000)
    assert _codes(result) == [("a_good.py", "FO101"), ("b_big.py", "FO001")]
    assert len(result.errors) == 1
    error = result.errors[0]
    assert error.startswith("b_big.py: skipped:") and "size limit" in error and "\n" not in error
    assert result.analysed == 1


def _slow_script(blocks: int) -> str:
    """A real script whose analysis takes a while: many pipelines, each its own finding."""
    head = "import tensorflow as tf\nfrom tensorflow.keras import layers\n"
    body = "".join(textwrap.dedent(f"""
        images_{i} = tf.random.uniform((2, 96, 96, 3), maxval=255)
        flip_{i} = layers.RandomFlip()
        out_{i} = tf.keras.applications.MobileNetV2(include_top=False)(flip_{i}(images_{i}))
        """) for i in range(blocks))
    return head + body


def test_analysis_over_the_time_limit_is_interrupted(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a_slow.py").write_text(_slow_script(300))
    (tmp_path / "b_good.py").write_text(GOOD)
    started = time.monotonic()
    result = run(["."], Options(), time_limit=0.2)
    assert time.monotonic() - started < 30
    assert _codes(result) == [("a_slow.py", "FO001"), ("b_good.py", "FO101")]
    assert result.errors == ["a_slow.py: skipped: analysis took longer than the time limit of 0.2 s (CPU)"]


def test_native_parser_hang_and_crash_become_fo001_and_exit_2(tmp_path):
    """libcst's native parser takes minutes on a long ``+`` chain (no signal stops it) and
    overflows its stack on thousands of nested parentheses: both are stopped, the run goes on."""
    (tmp_path / "chain.py").write_text("from keras import applications\n" + "".join(
        f"x{i} = applications" + " + 1" * 2900 + "\n" for i in range(5)))
    (tmp_path / "deep.py").write_text("from keras import applications\nx = " + "(" * 5000 + "1" + ")" * 5000 + "\n")
    (tmp_path / "good.py").write_text(GOOD)
    started = time.monotonic()
    result = run([str(tmp_path)], Options(), time_limit=1.0)
    assert time.monotonic() - started < 60
    assert _codes(result) == [("chain.py", "FO001"), ("deep.py", "FO001"), ("good.py", "FO101")]
    reasons = {e.split(": ", 1)[0].rsplit("/", 1)[-1]: e.split(": ", 1)[1] for e in result.errors}
    assert reasons["chain.py"] == "skipped: analysis took longer than the time limit of 1 s (CPU)"
    assert reasons["deep.py"].startswith("the parser crashed (SIGSEGV)")


def test_cli_exits_2_when_a_file_was_not_analysed(tmp_path):
    (tmp_path / "deep.py").write_text("from keras import applications\nx = " + "(" * 5000 + "1" + ")" * 5000 + "\n")
    (tmp_path / "good.py").write_text(GOOD)
    out = subprocess.run([sys.executable, "-m", "fixorder.cli", "--no-cache", "--output-format", "concise", "."],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert out.returncode == 2, out.stderr
    assert [line.split(":")[0] + " " + line.split()[1] for line in out.stdout.splitlines()] == \
        ["deep.py FO001", "good.py FO101"]
    assert [line for line in out.stderr.splitlines() if line.startswith("fixorder: error:")] == \
        ["fixorder: error: deep.py: the parser crashed (SIGSEGV); the file is probably too deeply nested"]


def test_an_exception_inside_a_rule_becomes_fo001_for_that_file_only(tmp_path, monkeypatch):
    """A rule with a bug (a real rule module on sys.path, registered like the built-in ones)."""
    package = tmp_path / "plugins"
    package.mkdir()
    (package / "broken_rule.py").write_text(textwrap.dedent('''
        CODE = "FO199"
        def check(ctx):
            if "boom" in ctx.module.code:
                raise KeyError("no such stage")
            return []
        '''))
    monkeypatch.syspath_prepend(str(package))
    monkeypatch.setitem(rules.RULE_MODULES, "FO199", "broken_rule")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.py").write_text(GOOD + "# boom\n")
    (tmp_path / "b.py").write_text(GOOD)
    result = run(["."], Options(select=frozenset({"FO101", "FO199"})), jobs=1)
    assert _codes(result) == [("a.py", "FO001"), ("b.py", "FO101")]
    assert result.errors == ["a.py: internal error: KeyError: 'no such stage'"]
