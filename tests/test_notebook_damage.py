"""A malformed notebook is one FO001 line and exit 2, never a traceback; a notebook saved on
Windows (CRLF) is fixed with its line endings kept (issue 16, item 5)."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tests.cli_helpers import BROKEN_SCRIPT, FIXED_SCRIPT, fixorder


def _cells(source) -> str:
    return json.dumps({"cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                                  "source": source}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)


MALFORMED = {
    "an integer in the source list": (_cells(["import keras\n", 7]),
                                      'cell 1: "source" is not a string or a list of strings'),
    "a source that is an object": (_cells({"text": "x"}), 'cell 1: "source" is not a string or a list of strings'),
    "100,000-deep JSON": ('{"cells": ' + "[" * 100_000 + "]" * 100_000 + "}", "notebook JSON nested too deeply to read"),
    "cells that are not a list": ('{"cells": {"a": 1}}', 'not a Jupyter notebook (no "cells" list)'),
    "a top-level list": ("[1, 2]", 'not a Jupyter notebook (no "cells" list)'),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
@pytest.mark.parametrize("mode", ["check", "--fix", "--diff"])
def test_a_malformed_notebook_is_one_fo001_line_and_exit_2(tmp_path, case, mode):
    text, reason = MALFORMED[case]
    (tmp_path / "bad.ipynb").write_text(text)
    (tmp_path / "train.py").write_text(BROKEN_SCRIPT)
    # --diff prints a diff: a report format with it is refused (an option with no effect).
    report = ["--output-format", "concise"] if mode != "--diff" else []
    out = fixorder("--no-cache", *report, *([mode] if mode != "check" else []), ".", cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    assert [line for line in out.stderr.splitlines() if line.startswith("fixorder: error:")] == \
        [f"fixorder: error: bad.ipynb: {reason}"]
    assert (tmp_path / "bad.ipynb").read_text() == text
    if mode == "check":
        assert out.stdout.splitlines()[0] == f"bad.ipynb:1:1: FO001 cannot parse: {reason}"
    if mode == "--fix":
        assert (tmp_path / "train.py").read_text() == FIXED_SCRIPT


def _notebook_text() -> str:
    nb = new_notebook()
    nb.cells = [new_markdown_cell("# Train\nwith two lines"), new_code_cell(BROKEN_SCRIPT.rstrip("\n"))]
    return nbformat.writes(nb) + "\n"


def test_a_crlf_notebook_is_fixed_and_keeps_crlf(tmp_path):
    lf = _notebook_text()
    crlf = lf.replace("\n", "\r\n")
    path = tmp_path / "train.ipynb"
    path.write_bytes(crlf.encode())
    out = fixorder("--no-cache", "--fix", "train.ipynb", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    after = path.read_bytes().decode()
    assert after.count("\r\n") == after.count("\n")  # every line ending is still CRLF
    # The same fix as the LF notebook's, byte for byte apart from the endings.
    (tmp_path / "lf.ipynb").write_text(lf)
    assert fixorder("--no-cache", "--fix", "lf.ipynb", cwd=tmp_path).returncode == 0
    assert after == (tmp_path / "lf.ipynb").read_text().replace("\n", "\r\n")
    assert "preprocess_input" in json.loads(after)["cells"][1]["source"][7]
