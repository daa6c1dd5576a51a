"""Generated inputs through the real command line: notebooks (sources as lists or strings,
odd metadata, magics, CRLF, indentation, malformed ones) and file names (unicode, spaces,
newlines, tabs, quotes, undecodable bytes), each through check, ``--diff --patch | git apply``
and ``--fix`` (issue 16).

The invariant: every run ends with exit 0, 1 or 2 and without a traceback; after ``--fix``
every file is either untouched or fixed (it parses, the fix is there, a second ``--fix``
changes nothing), never partial; and ``git apply`` of the diff gives exactly what ``--fix``
wrote.  Each example costs a handful of processes, so the budget is small and fixed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from tests.cli_helpers import BROKEN_SCRIPT, FIXED_SCRIPT, ROOT

EXAMPLES = 8
settings.register_profile("fixorder-inputs", max_examples=EXAMPLES, deadline=None, print_blob=True,
                          derandomize=bool(os.environ.get("CI")),
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

MAGICS = ["%matplotlib inline", "!pip install -q keras", "files = !ls", "keras?", "%load_ext autoreload"]
LINES = BROKEN_SCRIPT.rstrip("\n").split("\n")

json_leaf = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=8))
metadata = st.recursive(json_leaf, lambda inner: st.lists(inner, max_size=3)
                        | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=6)


@st.composite
def notebooks(draw) -> bytes:
    """A notebook holding BROKEN_SCRIPT spread over code cells, serialised in some layout."""
    cuts = sorted(draw(st.sets(st.integers(1, len(LINES) - 1), max_size=2)))
    chunks = [LINES[a:b] for a, b in zip([0, *cuts], [*cuts, len(LINES)])]
    cells = []
    for chunk in chunks:
        if draw(st.booleans()):
            cells.append({"cell_type": "markdown", "metadata": {}, "source": draw(st.text(max_size=10))})
        lines = list(chunk)
        for _ in range(draw(st.integers(0, 2))):
            lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(MAGICS)))
        if draw(st.booleans()):
            lines.insert(0, "%%time")
        text = "\n".join(lines) + draw(st.sampled_from(["", "\n"]))
        source = text.splitlines(keepends=True) if draw(st.booleans()) else text
        cells.append({"cell_type": "code", "execution_count": draw(st.none() | st.integers(1, 99)),
                      "metadata": {"tags": draw(st.lists(st.text(max_size=4), max_size=2))}, "outputs": [],
                      "source": source})
    damage = draw(st.sampled_from([None] * 6 + ["int in source", "cells not a list", "truncated"]))
    if damage == "int in source":
        cells[-1]["source"] = [*cells[-1]["source"], 7] if isinstance(cells[-1]["source"], list) else 7
    data = {"cells": cells if damage != "cells not a list" else {"0": cells},
            "metadata": {"kernelspec": {"name": "python3"}, "extra": draw(metadata)},
            "nbformat": 4, "nbformat_minor": 5}
    text = json.dumps(data, indent=draw(st.sampled_from([1, 2, None])), ensure_ascii=draw(st.booleans()))
    text += draw(st.sampled_from(["", "\n"]))
    if damage == "truncated":
        text = text[: len(text) // 2]
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    note(f"notebook damage: {damage}")
    return text.encode()


NAME_CHARS = st.sampled_from(list("abcXYZ019_- ") + ["\n", "\t", '"', "\\", "é", "ß", "中", "\u00a0"])


@st.composite
def file_names(draw) -> bytes:
    name = draw(st.text(NAME_CHARS, min_size=1, max_size=8)).encode()
    if draw(st.booleans()):
        at = draw(st.integers(0, len(name)))
        name = name[:at] + draw(st.sampled_from([b"\xff", b"\xe9", b"\xc3("])) + name[at:]
    return name + draw(st.sampled_from([b".py", b".ipynb"]))


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    out = subprocess.run([sys.executable, "-m", "fixorder", "--no-cache", *args], cwd=cwd, capture_output=True,
                         timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"})
    assert out.returncode in (0, 1, 2), out.stderr
    assert b"Traceback" not in out.stderr, out.stderr.decode(errors="replace")
    return out


def _tree(top: Path, files: dict[bytes, bytes]) -> Path:
    top.mkdir()
    for name, data in files.items():
        with open(os.path.join(os.fsencode(top), name), "wb") as handle:
            handle.write(data)
    return top


def _contents(top: Path) -> dict[bytes, bytes]:
    out = {}
    for name in os.listdir(os.fsencode(top)):
        if name != b".git":
            with open(os.path.join(os.fsencode(top), name), "rb") as handle:
                out[name] = handle.read()
    return out


def _fixed_or_untouched(name: bytes, before: bytes, after: bytes) -> None:
    if after == before:
        return
    if name.endswith(b".py"):
        assert after.decode() == FIXED_SCRIPT, name
        return
    data = json.loads(after.decode())  # whole, valid JSON: never partial
    program = "".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                      for c in data["cells"] if c["cell_type"] == "code")
    assert "preprocess_input" in program, name
    # Only the code changed: the notebook without its code cells' sources is the same.
    original = json.loads(before.decode())
    for cell in [*data["cells"], *original["cells"]]:
        if cell["cell_type"] == "code":
            cell["source"] = None
    assert data == original
    assert (b"\r\n" in after) == (b"\r\n" in before)


@settings(settings.get_profile("fixorder-inputs"))
@given(notebook=notebooks(), notebook_name=file_names(), script_name=file_names())
def test_generated_notebooks_and_names_are_fixed_or_untouched(notebook, notebook_name, script_name):
    notebook_name = notebook_name.rsplit(b".", 1)[0] + b".ipynb"
    script_name = script_name.rsplit(b".", 1)[0] + b".py"
    files = {notebook_name: notebook, script_name: BROKEN_SCRIPT.encode()}
    work = Path(tempfile.mkdtemp(prefix="fixorder-props-"))
    try:
        checked = _run("--output-format", "full", ".", cwd=_tree(work / "check", files))
        assert checked.returncode in (1, 2)  # the script always has its finding
        assert _contents(work / "check") == files  # check writes nothing

        fix_dir = _tree(work / "fix", files)
        _run("--fix", ".", cwd=fix_dir)
        fixed = _contents(fix_dir)
        for name, before in files.items():
            _fixed_or_untouched(name, before, fixed[name])
        assert fixed[script_name].decode() == FIXED_SCRIPT
        _run("--fix", ".", cwd=fix_dir)
        assert _contents(fix_dir) == fixed  # one --fix reaches the fixed point

        diff_dir = _tree(work / "diff", files)
        subprocess.run(["git", "init", "-q"], cwd=diff_dir, check=True)
        diff = _run("--diff", "--patch", ".", cwd=diff_dir)
        applied = subprocess.run(["git", "apply", "-"], cwd=diff_dir, input=diff.stdout, capture_output=True)
        assert applied.returncode == 0, applied.stderr.decode(errors="replace")
        assert _contents(diff_dir) == fixed
    finally:
        shutil.rmtree(work)
