"""Notebooks written with nbformat: one program across cells, magics masked, cell-exact write-back."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from fixorder.inputs.notebooks import load, mask
from tests.cli_helpers import fixorder

IMPORTS = "%matplotlib inline\n!pip install -q tensorflow\nfrom tensorflow import keras\nfrom tensorflow.keras import layers"
BUILD = ("augment = keras.Sequential([layers.RandomFlip('horizontal'), layers.RandomRotation(0.2)])\n"
         "base = keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False, weights='imagenet')")
TRAIN = ("inputs = keras.Input(shape=(160, 160, 3))\n"
         "x = augment(inputs)\n"
         "x = base(x, training=False)\n"
         "model = keras.Model(inputs, x)\n"
         "model?")
FIXED_LINE = "x = base(keras.applications.mobilenet_v2.preprocess_input(x), training=False)"


def _notebook():
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        new_markdown_cell("# Transfer learning"),
        new_code_cell(IMPORTS),
        new_code_cell(BUILD, metadata={"tags": ["model"]}),
        new_code_cell("%%bash\necho not python ("),
        new_code_cell(TRAIN, execution_count=3, outputs=[new_output("stream", name="stdout", text="ok\n")]),
    ]
    return nb


@pytest.fixture
def notebook(tmp_path):
    path = tmp_path / "train.ipynb"
    nbformat.write(_notebook(), str(path))
    return path


def test_cells_are_one_program_and_findings_name_the_cell(notebook):
    proc = fixorder("--output-format", "json", notebook.name, cwd=notebook.parent)
    assert proc.returncode == 1, proc.stderr
    [finding] = json.loads(proc.stdout)
    # The backbone is built in cell 3 and fed in cell 5: one pipeline across cells.
    assert (finding["code"], finding["cell"], finding["line"], finding["column"]) == ("FO101", 5, 3, 5)
    assert finding["path"] == "train.ipynb"


def test_full_report_quotes_the_cell_line(notebook):
    proc = fixorder(notebook.name, cwd=notebook.parent)
    assert proc.stdout.startswith("train.ipynb:cell 5:3:5: FO101 [*]")
    assert "3 | x = base(x, training=False)" in proc.stdout


def test_fix_rewrites_only_the_changed_cell_and_keeps_everything_else(notebook):
    before = notebook.read_text()
    proc = fixorder("--fix", notebook.name, cwd=notebook.parent)
    assert proc.returncode == 0, proc.stderr
    after = notebook.read_text()
    old, new = json.loads(before), json.loads(after)
    assert new["cells"][4]["source"] == "".join(TRAIN).replace("x = base(x, training=False)", FIXED_LINE) \
        .splitlines(keepends=True)
    for i in (0, 1, 2, 3):
        assert new["cells"][i] == old["cells"][i], "unchanged cells are untouched, magics included"
    assert new["cells"][4]["outputs"] == old["cells"][4]["outputs"]
    assert new["cells"][4]["execution_count"] == 3
    assert new["metadata"] == old["metadata"]
    assert list(new) == list(old) and list(new["cells"][4]) == list(old["cells"][4]), "key order kept"
    # Apart from the one source line, the file is byte-identical (indentation, trailing newline).
    changed = [(a, b) for a, b in zip(before.splitlines(True), after.splitlines(True)) if a != b]
    assert len(changed) == 1 and FIXED_LINE in changed[0][1]
    assert len(before.splitlines()) == len(after.splitlines()) and after.endswith("\n")
    nbformat.validate(nbformat.reads(after, as_version=4))
    assert fixorder(notebook.name, cwd=notebook.parent).returncode == 0


def test_fix_keeps_a_two_space_indent_and_no_trailing_newline(tmp_path):
    data = json.loads(nbformat.writes(_notebook()))
    path = tmp_path / "two.ipynb"
    path.write_text(json.dumps(data, indent=2))
    proc = fixorder("--fix", path.name, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    after = path.read_text()
    assert not after.endswith("\n")
    assert after.startswith('{\n  "cells": [\n')
    data["cells"][4]["source"] = [line.replace("x = base(x, training=False)", FIXED_LINE)
                                  for line in data["cells"][4]["source"]]
    assert after == json.dumps(data, indent=2)


def test_diff_is_per_cell_and_writes_nothing(notebook):
    before = notebook.read_text()
    proc = fixorder("--diff", notebook.name, cwd=notebook.parent)
    assert proc.returncode == 1
    assert proc.stdout.startswith("--- a/train.ipynb:cell 5\n+++ b/train.ipynb:cell 5\n")
    assert f"-x = base(x, training=False)\n+{FIXED_LINE}\n" in proc.stdout
    assert notebook.read_text() == before


def test_patch_mode_diffs_the_notebook_file_for_git_apply(notebook, tmp_path):
    import subprocess
    proc = fixorder("--diff", "--patch", notebook.name, cwd=notebook.parent)
    patch = tmp_path / "nb.patch"
    patch.write_text(proc.stdout)
    subprocess.run(["git", "apply", str(patch)], cwd=tmp_path, check=True)
    assert FIXED_LINE in "".join(json.loads(notebook.read_text())["cells"][4]["source"])


def test_invalid_json_is_fo001(tmp_path):
    (tmp_path / "broken.ipynb").write_text('{"cells": [\n')
    proc = fixorder("--output-format", "json", "broken.ipynb", cwd=tmp_path)
    assert proc.returncode == 2
    [finding] = json.loads(proc.stdout)
    assert finding["code"] == "FO001" and "invalid notebook JSON" in finding["message"]
    assert "broken.ipynb: invalid notebook JSON at line 2" in proc.stderr


def test_python_syntax_error_in_a_cell_is_reported_in_that_cell(tmp_path):
    # It names a backbone module: a notebook that cannot have a finding is never parsed.
    nb = new_notebook(cells=[new_code_cell("from keras import applications"), new_code_cell("y = 2\ndef (:")])
    nbformat.write(nb, str(tmp_path / "bad.ipynb"))
    proc = fixorder("--output-format", "json", "bad.ipynb", cwd=tmp_path)
    assert proc.returncode == 2
    [finding] = json.loads(proc.stdout)
    assert (finding["code"], finding["cell"], finding["line"]) == ("FO001", 2, 2)



def _notebook_with_html_cell():
    nb = _notebook()
    nb.cells.insert(3, new_code_cell("<table><tr><td>accuracy</td></tr></table>"))  # pasted HTML
    return nb


def test_a_cell_that_does_not_parse_is_left_out_and_the_others_are_analysed(tmp_path):
    """Jupyter compiles each cell on its own: a cell of pasted HTML raises SyntaxError and the
    other cells still run, so the pipeline across cells 3 and 6 is still judged."""
    nbformat.write(_notebook_with_html_cell(), str(tmp_path / "train.ipynb"))
    proc = fixorder("--output-format", "json", "train.ipynb", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr  # a cell could not be read: something failed
    found = [(f["code"], f["cell"], f["line"], f["column"]) for f in json.loads(proc.stdout)]
    assert found == [("FO001", 4, 1, 1), ("FO101", 6, 3, 5)]
    assert "train.ipynb: syntax error at cell 4, line 1, column 1: invalid syntax; the cell is left out" \
        in proc.stderr


def test_fix_rewrites_the_other_cells_and_leaves_the_unparsable_cell_as_it_was(tmp_path):
    path = tmp_path / "train.ipynb"
    nbformat.write(_notebook_with_html_cell(), str(path))
    before = json.loads(path.read_text())
    proc = fixorder("--fix", "train.ipynb", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    after = json.loads(path.read_text())
    assert after["cells"][3] == before["cells"][3]
    assert FIXED_LINE in "".join(after["cells"][5]["source"])
    assert [c for i, c in enumerate(after["cells"]) if i != 5] == [c for i, c in enumerate(before["cells"]) if i != 5]


def test_an_unparsable_cell_in_a_notebook_the_filter_rejects_is_not_reported(tmp_path):
    """As for .py files, a syntax error is reported only where a pipeline could be."""
    nb = new_notebook(cells=[new_code_cell("import numpy as np"), new_code_cell("<b>bold</b>")])
    nbformat.write(nb, str(tmp_path / "other.ipynb"))
    proc = fixorder("--output-format", "json", "other.ipynb", cwd=tmp_path)
    assert (proc.returncode, json.loads(proc.stdout)) == (0, [])


_LIBCST_AFTER_RUN = """
import sys
from fixorder.inputs.options import Options
from fixorder.run.runner import run
result = run(sys.argv[1:], Options())
print(result.analysed, len(result.findings), len(result.errors),
      any(m == "libcst" or m.startswith("libcst.") for m in sys.modules))
"""


def _run_in_fresh_process(tmp_path, *names: str) -> list[str]:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _LIBCST_AFTER_RUN, *names], cwd=tmp_path, capture_output=True,
                         text=True, check=True)
    return out.stdout.split()


def test_a_notebook_that_never_names_the_module_is_not_parsed(tmp_path):
    """The pre-filter runs on the notebook's raw JSON: libcst is never imported for it, and
    a syntax error in it is not reported (as for a .py file that cannot have a finding)."""
    nbformat.write(new_notebook(cells=[new_code_cell("import keras\nmodel = keras.Sequential()"),
                                       new_code_cell("def (:")]), str(tmp_path / "plain.ipynb"))
    assert _run_in_fresh_process(tmp_path, "plain.ipynb") == ["0", "0", "0", "False"]
    nbformat.write(_notebook(), str(tmp_path / "train.ipynb"))
    assert _run_in_fresh_process(tmp_path, "plain.ipynb", "train.ipynb") == ["1", "1", "0", "True"]


def test_a_notebook_the_filter_rejects_is_still_checked_for_broken_json(tmp_path):
    (tmp_path / "broken.ipynb").write_text('{"cells": [\n')
    (tmp_path / "v3.ipynb").write_text(json.dumps({"nbformat": 3, "worksheets": [{"cells": []}]}))
    assert _run_in_fresh_process(tmp_path, "broken.ipynb", "v3.ipynb")[1:3] == ["2", "2"]


def test_a_notebook_naming_the_module_only_in_prose_or_output_is_not_analysed(tmp_path):
    """Stage 2 on the joined code cells: the word in markdown or a comment is not an identifier."""
    nb = new_notebook(cells=[new_markdown_cell("We use keras.applications.MobileNetV2."),
                             new_code_cell("# keras.applications later\nx = 1")])
    nbformat.write(nb, str(tmp_path / "prose.ipynb"))
    # Rejected by stage 2 before any worker starts: not analysed, libcst never imported.
    assert _run_in_fresh_process(tmp_path, "prose.ipynb") == ["0", "0", "0", "False"]


def test_notebooks_are_found_in_directories_but_not_in_checkpoints(tmp_path):
    nbformat.write(_notebook(), str(tmp_path / "a.ipynb"))
    (tmp_path / ".ipynb_checkpoints").mkdir()
    nbformat.write(_notebook(), str(tmp_path / ".ipynb_checkpoints" / "a-checkpoint.ipynb"))
    proc = fixorder("--output-format", "concise", ".", cwd=tmp_path)
    assert [line.split(":")[0] for line in proc.stdout.splitlines()] == ["a.ipynb"]


def test_masking_keeps_strings_and_marks_ipython_lines():
    source = ("files = !ls\n"
              "def f():\n"
              "    '''Why?\n"
              "%d things\n"
              "!not a shell escape'''\n"
              "    %time g()\n"
              "    return 1\n"
              "!pip install \\\n"
              "    numpy\n"
              "obj??")
    masked, magic = mask(source)
    assert masked.splitlines() == ["pass  # fixorder-magic 1", "def f():", "    '''Why?", "%d things",
                                   "!not a shell escape'''", "    pass  # fixorder-magic 2", "    return 1",
                                   "pass  # fixorder-magic 3", "pass  # fixorder-magic 4", "pass  # fixorder-magic 5"]
    assert magic[2] == "    %time g()" and magic[4] == "    numpy"
    compile(masked, "<masked>", "exec")


def test_cell_magics_that_are_not_python_are_left_out():
    nb = load(nbformat.writes(_notebook()))
    assert [cell.number for cell in nb.cells] == [2, 3, 5]
    compile(nb.program, "<program>", "exec")


def test_string_sources_stay_strings_and_time_cells_are_analysed(tmp_path):
    data = json.loads(nbformat.writes(new_notebook(cells=[
        new_code_cell(IMPORTS), new_code_cell(BUILD), new_code_cell("%%time\n" + TRAIN)])))
    for cell in data["cells"]:
        cell["source"] = "".join(cell["source"])  # nbformat accepts a plain string too
    path = tmp_path / "s.ipynb"
    path.write_text(json.dumps(data, indent=1) + "\n")
    proc = fixorder("--output-format", "json", path.name, cwd=tmp_path)
    [finding] = json.loads(proc.stdout)
    assert (finding["cell"], finding["line"]) == (3, 4), "line 1 of the cell is the %%time magic"
    assert fixorder("--fix", path.name, cwd=tmp_path).returncode == 0
    fixed = json.loads(path.read_text())["cells"][2]["source"]
    assert isinstance(fixed, str) and fixed.startswith("%%time\n") and FIXED_LINE in fixed


def test_a_notebook_without_code_and_an_old_format_notebook(tmp_path):
    nbformat.write(new_notebook(cells=[new_markdown_cell("only prose")]), str(tmp_path / "prose.ipynb"))
    (tmp_path / "v3.ipynb").write_text(json.dumps({"nbformat": 3, "worksheets": [{"cells": []}]}))
    proc = fixorder("--output-format", "json", "prose.ipynb", cwd=tmp_path)
    assert proc.returncode == 0 and json.loads(proc.stdout) == []
    proc = fixorder("--output-format", "json", "v3.ipynb", cwd=tmp_path)
    assert proc.returncode == 2
    assert "not a Jupyter notebook" in json.loads(proc.stdout)[0]["message"]


def test_fixed_code_that_loses_a_cell_marker_or_a_magic_is_refused():
    from fixorder.inputs.notebooks import NotebookError, split_program, unmask

    notebook = load(nbformat.writes(_notebook()))
    without_marker = notebook.program.replace("# fixorder-cell 3\n", "")
    with pytest.raises(NotebookError, match="across cell boundaries"):
        split_program(notebook, without_marker)
    first = notebook.cells[0]
    with pytest.raises(NotebookError, match="removed an IPython line of cell 2"):
        unmask(first, first.masked.replace("pass  # fixorder-magic 1\n", ""))


def test_stdin_notebook_fix_prints_the_whole_fixed_notebook(notebook):
    before = notebook.read_text()
    proc = fixorder("--fix", "--stdin-filename", notebook.name, cwd=notebook.parent, stdin=before)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == before.replace('"x = base(x, training=False)\\n"', f'"{FIXED_LINE}\\n"')
    assert notebook.read_text() == before


def _write(tmp_path, cells):
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [new_code_cell(c) for c in cells]
    path = tmp_path / "auto.ipynb"
    nbformat.write(nb, str(path))
    return path


@pytest.mark.parametrize("line", ["cd /data/My Photos/train", "cd ../images", "pip install keras-flops",
                                  "ls -la data", "pip -q install tensorflow==2.15"])
def test_automagic_lines_are_masked(line):
    masked, magic = mask(f"import os\n{line}\nx = 1\n")
    assert masked.splitlines()[1] == "pass  # fixorder-magic 1" and magic == {1: line}


@pytest.mark.parametrize("line", ["ls", "cd = '/data'", "pip(1)", "cat, dog = 1, 2", "pwd == 'x'", "time.sleep(1)",
                                  "run_model(x)", "rm_tree = 3"])
def test_python_that_starts_like_a_magic_is_kept(line):
    masked, magic = mask(f"{line}\n")
    assert masked == f"{line}\n" and magic == {}


def test_automagic_cell_is_analysed_and_fixed_back(tmp_path):
    first = "cd /content/drive/My Drive/data\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n"
    path = _write(tmp_path, [first, BUILD, TRAIN])
    proc = fixorder("--fix", path.name, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    cells = [c["source"] for c in nbformat.read(str(path), as_version=4).cells]
    assert cells[0] == first
    assert FIXED_LINE in cells[2]


def test_a_cell_indented_as_a_whole_is_read_as_ipython_does(tmp_path):
    indented = "\n".join(" " + line for line in TRAIN.splitlines())
    path = _write(tmp_path, [IMPORTS, BUILD, indented])
    proc = fixorder("--output-format", "json", path.name, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    [finding] = json.loads(proc.stdout)
    assert (finding["code"], finding["cell"], finding["line"]) == ("FO101", 3, 3)
    assert fixorder("--fix", path.name, cwd=tmp_path).returncode == 0
    fixed = nbformat.read(str(path), as_version=4).cells[2]["source"]
    assert fixed.splitlines()[2] == " " + FIXED_LINE
    assert all(line.startswith(" ") for line in fixed.splitlines())


def test_an_unevenly_indented_cell_is_not_rewritten(tmp_path):
    # The bracket's continuation line is indented less than the cell: valid Python, but putting
    # the cell's indentation back would change that line, so no fix is written.
    uneven = "  inputs = keras.Input(shape=(160, 160,\n 3))\n  x = augment(inputs)\n  x = base(x, training=False)\n"
    path = _write(tmp_path, [IMPORTS, BUILD, uneven])
    before = path.read_bytes()
    proc = fixorder("--fix", path.name, cwd=tmp_path)
    assert path.read_bytes() == before
    assert "indented unevenly" in proc.stderr


def test_the_size_limit_applies_to_a_notebooks_code_not_its_outputs(tmp_path):
    nb = new_notebook()
    nb.cells = [new_code_cell(IMPORTS), new_code_cell(BUILD),
                new_code_cell(TRAIN, outputs=[new_output("display_data", data={"image/png": "A" * 1_500_000})])]
    path = tmp_path / "big.ipynb"
    nbformat.write(nb, str(path))
    assert path.stat().st_size > 1_000_000
    proc = fixorder("--output-format", "json", path.name, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert [f["code"] for f in json.loads(proc.stdout)] == ["FO101"]


def test_a_notebook_whose_code_is_over_the_limit_is_skipped_with_one_line(tmp_path):
    nb = new_notebook()
    nb.cells = [new_code_cell(IMPORTS), new_code_cell(BUILD), new_code_cell("x = 1\n" * 200_000)]
    path = tmp_path / "huge.ipynb"
    nbformat.write(nb, str(path))
    proc = fixorder(path.name, cwd=tmp_path)
    assert proc.returncode == 2
    assert "huge.ipynb: skipped: the notebook's code is 1,200," in proc.stderr
