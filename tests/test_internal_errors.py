"""Exit 1 means findings, only findings: every crash class exits 2 with one line and no
traceback (issue 16, item 11).  The classes found by the adversarial run each have their own
test where they are handled (tests/test_cache_damage.py, test_notebook_damage.py,
test_file_names.py, test_interrupted_runs.py, test_guarded_units.py); the ones here reach
the last line of defence, the command line's own handler."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.cli_helpers import BROKEN_SCRIPT, ROOT, fixorder

# A real defect in the main process: an output format whose function does not exist.
BROKEN_FORMAT = """
import sys
import fixorder.output, fixorder.cli
fixorder.output.FORMATS["concise"] = ("text", "no_such_writer")
sys.argv = ["fixorder", *sys.argv[1:]]
fixorder.cli.main(prog_name="fixorder")
"""


def _one_error_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    [line] = [line for line in stderr.splitlines() if line.startswith("fixorder: error:")]
    return line


def test_a_bug_in_the_main_process_exits_2_with_one_line(tmp_path):
    (tmp_path / "train.py").write_text(BROKEN_SCRIPT)
    out = subprocess.run([sys.executable, "-c", BROKEN_FORMAT, "--no-cache", "--output-format", "concise", "."],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300, env={"PYTHONPATH": str(ROOT)})
    assert out.returncode == 2, out.stderr
    line = _one_error_line(out.stderr)
    assert line.startswith("fixorder: error: internal error: AttributeError:") and "(at " in line


def test_a_report_that_cannot_be_written_exits_2(tmp_path):
    (tmp_path / "train.py").write_text(BROKEN_SCRIPT)
    # Missing folders are created (-o makes them); a folder that is a file cannot be.
    out = fixorder("--no-cache", "-o", "train.py/report.txt", ".", cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    assert "train.py/report.txt: cannot write the report" in _one_error_line(out.stderr)


# One case per crash class of the adversarial run; each must end in exit 2 (a bad input) or
# in the exit the findings call for (a cache problem is only a warning), never a crash's 1.
def _corrupt_cache(tmp_path):
    fixorder("train.py", cwd=tmp_path)
    [path] = (tmp_path / ".fixorder_cache").glob("results-*.json")
    data = json.loads(path.read_text())
    data["files"] = []
    path.write_text(json.dumps(data))
    return ["train.py"], 1


def _int_in_notebook_source(tmp_path):
    (tmp_path / "bad.ipynb").write_text(json.dumps({"cells": [{"cell_type": "code", "source": ["x\n", 1]}]}))
    return ["bad.ipynb", "train.py"], 2


def _deep_notebook(tmp_path):
    (tmp_path / "bad.ipynb").write_text('{"cells": ' + "[" * 100_000 + "]" * 100_000 + "}")
    return ["bad.ipynb", "train.py"], 2


def _deep_expression_on_stdin(tmp_path):
    return ["--stdin-filename", "deep.py"], 2


CLASSES = {"corrupt cache": _corrupt_cache, "int in a notebook's source": _int_in_notebook_source,
           "100,000-deep notebook JSON": _deep_notebook, "a parser crash on stdin": _deep_expression_on_stdin}


@pytest.mark.parametrize("case", CLASSES, ids=list(CLASSES))
def test_no_crash_class_exits_1(tmp_path, case):
    (tmp_path / "train.py").write_text(BROKEN_SCRIPT)
    args, expected = CLASSES[case](tmp_path)
    stdin = "from keras import applications\nx = " + "(" * 5000 + "1" + ")" * 5000 + "\n" \
        if "--stdin-filename" in args else None
    out = fixorder("--output-format", "concise", *args, cwd=tmp_path, stdin=stdin)
    assert out.returncode == expected, out.stderr
    assert "Traceback" not in out.stderr
