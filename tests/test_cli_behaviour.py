"""What a ruff user expects from the command line (issue 13), through the real CLI in a subprocess."""

from __future__ import annotations

import re

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from tests.cli_helpers import BROKEN_SCRIPT, FIXED_SCRIPT, fixorder
from tests.conftest import TESTDATA

UNSAFE_CASE = TESTDATA / "fixes" / "FO104_function_parameter_origin.unsafe.in.py"
# One finding with no fix at all (a suggestion only).
NO_FIX_CASE = TESTDATA / "FO101" / "image_data_generator_rescale_only.py"


@pytest.fixture
def project(tmp_path):
    (tmp_path / "broken.py").write_text(BROKEN_SCRIPT)
    shutil.copy(UNSAFE_CASE, tmp_path / "unsafe.py")
    shutil.copy(NO_FIX_CASE, tmp_path / "nofix.py")
    (tmp_path / "clean.py").write_text(FIXED_SCRIPT)
    return tmp_path


def summary(proc) -> str:
    return proc.stderr.strip().splitlines()[-1]


# --- item 1: no path checks the current directory -----------------------------------------

def test_no_path_checks_the_current_directory(project):
    for args in ((), ("check",)):
        proc = fixorder(*args, "--output-format", "concise", cwd=project)
        assert proc.returncode == 1, proc.stderr
        assert "broken.py:8:5: FO101 [*]" in proc.stdout
        assert summary(proc).startswith("fixorder: 4 files checked.")


# --- item 2: honest summary lines ---------------------------------------------------------

def test_check_summary_counts_what_fix_and_unsafe_fixes_would_do(project):
    proc = fixorder(cwd=project)
    assert summary(proc) == ("fixorder: 4 files checked. 4 pretrained backbones found, 1 linked to data. Found 3 findings "
                             "(1 fixable with --fix, 1 more fixable with --unsafe-fixes).")
    proc = fixorder("--unsafe-fixes", cwd=project)
    assert summary(proc) == "fixorder: 4 files checked. 4 pretrained backbones found, 1 linked to data. Found 3 findings (2 fixable with --fix)."


def test_diff_summary_says_what_would_be_fixed(project):
    proc = fixorder("--diff", cwd=project)
    assert proc.returncode == 1
    assert summary(proc) == ("fixorder: 4 files checked. 4 pretrained backbones found, 1 linked to data. Would fix 1 finding in 1 file (1 more with --unsafe-fixes). "
                             "1 other finding would remain.")
    assert "left unfixed" not in proc.stderr
    proc = fixorder("--diff", "--unsafe-fixes", cwd=project)
    assert proc.returncode == 1
    assert summary(proc) == "fixorder: 4 files checked. 4 pretrained backbones found, 1 linked to data. Would fix 2 findings in 2 files. 1 other finding would remain."
    assert "--unsafe-fixes" not in summary(proc)
    assert (project / "broken.py").read_text() == BROKEN_SCRIPT  # --diff writes nothing


def test_fix_summary_says_what_was_fixed_and_what_remains(project):
    proc = fixorder("--fix", cwd=project)
    assert proc.returncode == 1
    assert summary(proc) == ("fixorder: 4 files checked. 4 pretrained backbones found, 1 linked to data. Fixed 1 finding in 1 file. "
                             "2 findings remain (1 fixable with --unsafe-fixes).")
    proc = fixorder("--fix", "--unsafe-fixes", cwd=project)
    assert summary(proc) == "fixorder: 4 files checked. 4 pretrained backbones found, 1 linked to data. Fixed 1 finding in 1 file. 1 finding remains."
    (project / "nofix.py").unlink()
    proc = fixorder("--fix", cwd=project)
    assert proc.returncode == 0
    assert summary(proc) == "fixorder: 3 files checked. 3 pretrained backbones found, 0 linked to data. All checks passed!"


def test_clean_run_says_all_checks_passed(tmp_path):
    (tmp_path / "clean.py").write_text(FIXED_SCRIPT)
    proc = fixorder("clean.py", cwd=tmp_path)
    assert proc.returncode == 0
    assert summary(proc) == "fixorder: 1 file checked. 1 pretrained backbone found, 0 linked to data. All checks passed!"


# --- item 3: -o into missing folders, internal errors ---------------------------------------

def test_output_file_in_a_missing_folder_is_created(project):
    proc = fixorder("--output-format", "json", "-o", "reports/deep/fixorder.json", "broken.py", cwd=project)
    assert proc.returncode == 1, proc.stderr
    data = json.loads((project / "reports" / "deep" / "fixorder.json").read_text())
    assert [f["code"] for f in data] == ["FO101"]
    assert proc.stdout == ""


def test_unwritable_report_is_one_line_and_exit_2(project):
    (project / "blocker").write_text("a file, not a folder")
    proc = fixorder("-o", "blocker/report.txt", "broken.py", cwd=project)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "fixorder: error: blocker/report.txt: cannot write the report" in proc.stderr


def test_internal_error_is_one_line_and_exit_2(project):
    # A bug inside fixorder (injected: the run raises) is one line and exit 2, never a traceback and 1.
    code = ("import sys, fixorder.cli as cli\n"
            "def broken(*args, **kwargs):\n    raise KeyError('boom')\n"
            "cli.run = broken\nsys.argv = ['fixorder', 'broken.py']\ncli.main()\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True)
    assert proc.returncode == 2
    assert re.fullmatch(r"fixorder: error: internal error: KeyError: 'boom' \(at [\w.]+\.py:\d+\)", proc.stderr.strip())


# --- item 7: options that would be ignored --------------------------------------------------

def test_diff_honours_output_file(project):
    proc = fixorder("--diff", "-o", "out/fixes.diff", "broken.py", cwd=project)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert (project / "out" / "fixes.diff").read_text().startswith("--- a/broken.py\n+++ b/broken.py\n")


def test_diff_json_is_a_would_change_report(project):
    proc = fixorder("--diff", "--output-format", "json", "broken.py", "clean.py", cwd=project)
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert [entry["path"] for entry in report] == ["broken.py"]
    assert [fix["code"] for fix in report[0]["fixes"]] == ["FO101"]
    assert report[0]["diff"].startswith("--- a/broken.py\n")
    lines = fixorder("--diff", "--output-format", "json-lines", "broken.py", cwd=project).stdout.splitlines()
    assert [json.loads(line)["path"] for line in lines] == ["broken.py"]


@pytest.mark.parametrize("args, words", [
    (("--diff", "--output-format", "sarif"), "--output-format sarif"),
    (("--show-fixes",), "--show-fixes"),
    (("--patch",), "--patch"),
    (("--diff", "--statistics"), "--statistics"),
    (("--diff", "--fix"), "--diff"),
])
def test_options_that_would_be_ignored_are_refused(project, args, words):
    proc = fixorder(*args, "broken.py", cwd=project)
    assert proc.returncode == 2
    error = [line for line in proc.stderr.splitlines() if line.startswith("Error:")]
    assert len(error) == 1 and words in error[0]
    assert (project / "broken.py").read_text() == BROKEN_SCRIPT


def test_config_without_a_fixorder_table_is_refused(project):
    (project / "other.toml").write_text("[tool.black]\nline-length = 100\n")
    proc = fixorder("--config", "other.toml", "broken.py", cwd=project)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "fixorder: error: other.toml: no [tool.fixorder] table " \
                                  "(--config names the file that configures fixorder)"


@pytest.mark.parametrize("value, codes", [('"FO104"', []), ('"FO101"', ["FO101"]), ('"FO104, FO101"', ["FO101"])])
def test_select_as_a_string_is_honoured_like_the_command_line(project, value, codes):
    (project / "pyproject.toml").write_text(f"[tool.fixorder]\nselect = {value}\n")
    proc = fixorder("--output-format", "json", "broken.py", cwd=project)
    assert [f["code"] for f in json.loads(proc.stdout)] == codes
    assert proc.returncode == (1 if codes else 0)


# --- item 8: stdin -------------------------------------------------------------------------

def test_dash_reads_stdin(project):
    proc = fixorder("--output-format", "concise", "-", cwd=project, stdin=BROKEN_SCRIPT)
    assert proc.returncode == 1
    assert proc.stdout.startswith("-:8:5: FO101 [*]")


def test_non_utf8_stdin_is_one_error_line(project):
    proc = subprocess.run([sys.executable, "-m", "fixorder", "--stdin-filename", "train.py"], cwd=project,
                          input=b"x = '\xff'\n", capture_output=True)
    assert proc.returncode == 2
    assert b"Traceback" not in proc.stderr
    assert b"fixorder: error: train.py: not valid utf-8" in proc.stderr
    fixed = subprocess.run([sys.executable, "-m", "fixorder", "--fix", "--stdin-filename", "train.py"], cwd=project,
                           input=b"x = '\xff'\n", capture_output=True)
    assert fixed.returncode == 2 and fixed.stdout == b"x = '\xff'\n"  # the source comes back untouched


def test_stdin_filename_with_paths_is_refused(project):
    proc = fixorder("--stdin-filename", "a.py", "broken.py", cwd=project, stdin=BROKEN_SCRIPT)
    assert proc.returncode == 2
    assert "stdin is checked alone" in proc.stderr


# --- item 9: mistyped subcommand -----------------------------------------------------------

def test_mistyped_subcommand_is_suggested(project):
    proc = fixorder("verfy", "broken.py", cwd=project)
    assert proc.returncode == 2
    assert "did you mean 'verify'?" in proc.stderr
    (project / "verfy").mkdir()  # an existing path of that name is checked, as before
    assert fixorder("verfy", cwd=project).returncode == 0


# --- item 11: smaller ----------------------------------------------------------------------

def test_rule_accepts_fo001_names_and_all(project):
    assert fixorder("rule", "FO001", cwd=project).stdout.startswith("FO001 parse-error")
    by_name = fixorder("rule", "double-scaling", cwd=project)
    assert by_name.returncode == 0 and by_name.stdout.startswith("FO104 double-scaling")
    every = fixorder("rule", "--all", cwd=project).stdout
    assert all(f"\n{code} " in "\n" + every for code in ("FO001", "FO101", "FO107"))
    help_text = fixorder("--help", cwd=project).stdout
    assert "(e.g" not in help_text and "by code or name" in help_text


def test_cache_goes_next_to_the_settings_file(project):
    (project / "pyproject.toml").write_text("[tool.fixorder]\nstrategy = \"insert\"\n")
    sub = project / "sub"
    sub.mkdir()
    shutil.copy(project / "broken.py", sub / "broken.py")
    assert fixorder("broken.py", cwd=sub).returncode == 1
    assert (project / ".fixorder_cache").is_dir()
    assert not (sub / ".fixorder_cache").exists()
    proc = fixorder("clean", cwd=sub)
    assert proc.returncode == 0 and not (project / ".fixorder_cache").exists()


def test_junit_lists_pre_filtered_files(project):
    (project / "plain.py").write_text("print('no keras here')\n")
    proc = fixorder("--output-format", "junit", "plain.py", "broken.py", cwd=project)
    assert 'testsuite name="plain.py"' in proc.stdout and 'testsuite name="broken.py"' in proc.stdout


# --- item 10: notebook locations and kernels ------------------------------------------------

def _notebook(cells: list[str], language: str = "python") -> str:
    return json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                                  "source": source.splitlines(keepends=True)} for source in cells],
                       "metadata": {"kernelspec": {"name": "k", "display_name": language, "language": language}},
                       "nbformat": 4, "nbformat_minor": 5}, indent=1) + "\n"


def test_non_python_kernel_notebook_is_skipped_with_a_warning(tmp_path):
    (tmp_path / "analysis.ipynb").write_text(_notebook([BROKEN_SCRIPT], language="R"))
    proc = fixorder("--output-format", "concise", "analysis.ipynb", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout == ""
    assert "fixorder: warning: analysis.ipynb: not a Python notebook (kernel language: R); skipped" in proc.stderr
    (tmp_path / "analysis.ipynb").write_text(_notebook([BROKEN_SCRIPT]))
    assert fixorder("analysis.ipynb", cwd=tmp_path).returncode == 1  # the same cells under Python


def test_notebook_syntax_error_is_named_by_its_cell_everywhere(tmp_path):
    (tmp_path / "nb.ipynb").write_text(_notebook(["from tensorflow.keras import applications\n",
                                                   "x = 1\ndef (:\n"]))
    proc = fixorder("--output-format", "concise", "nb.ipynb", cwd=tmp_path)
    assert proc.returncode == 2
    assert "fixorder: error: nb.ipynb: syntax error at cell 2, line 2, column 5" in proc.stderr
    assert proc.stdout.startswith("nb.ipynb:cell 2:2:5: FO001 cannot parse: syntax error at cell 2, line 2, column 5")


# --- item 13: what ruff users reach for ----------------------------------------------------

ANSI = "\x1b["


@pytest.mark.parametrize("args, env, colored", [
    (("--color", "always"), {}, True),
    (("--color", "never"), {"FORCE_COLOR": "1"}, False),
    ((), {}, False),                                  # not a terminal
    ((), {"FORCE_COLOR": "1"}, True),
    ((), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
])
def test_color(project, args, env, colored):
    proc = subprocess.run([sys.executable, "-m", "fixorder", *args, "broken.py"], cwd=project, capture_output=True,
                          text=True, env={**os.environ, "NO_COLOR": "", "FORCE_COLOR": "", **env})
    assert proc.returncode == 1
    assert (ANSI in proc.stdout) is colored
    assert "FO101" in proc.stdout


def test_show_files_and_show_settings(project):
    (project / "pyproject.toml").write_text('[tool.fixorder]\nignore = ["FO104"]\nstrategy = "fold"\n')
    (project / "build").mkdir()
    (project / "build" / "gen.py").write_text(BROKEN_SCRIPT)
    proc = fixorder("--show-files", cwd=project)
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == ["broken.py", "clean.py", "nofix.py", "unsafe.py"]
    settings = fixorder("--show-settings", "--select", "FO1", cwd=project)
    assert settings.returncode == 0
    rows = dict(line.split(" = ", 1) for line in settings.stdout.splitlines())
    assert rows["config-file"] == json.dumps(str(project / "pyproject.toml"))
    assert json.loads(rows["selected-rules"]) == ["FO101", "FO102", "FO103", "FO105", "FO106", "FO107"]
    assert rows["strategy"] == '"fold"'


def test_add_noqa_silences_current_findings_and_changes_nothing_else(project):
    before = (project / "broken.py").read_text()
    proc = fixorder("--add-noqa", "broken.py", "unsafe.py", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert "fixorder: added 2 noqa directives in 2 files." in proc.stderr
    after = (project / "broken.py").read_text()
    assert after == before.replace("x = base(x, training=False)\n", "x = base(x, training=False)  # noqa: FO101\n")
    assert fixorder("broken.py", "unsafe.py", cwd=project).returncode == 0
    again = fixorder("--add-noqa", "broken.py", cwd=project)
    assert "added 0 noqa directives" in again.stderr and (project / "broken.py").read_text() == after


def test_add_noqa_never_writes_into_a_string(tmp_path):
    # The finding's line ends inside a triple-quoted string: a comment there would change the program.
    script = BROKEN_SCRIPT.replace("x = base(x, training=False)", 'x = base(x, training=False); doc = """\nnote\n"""')
    (tmp_path / "s.py").write_text(script)
    proc = fixorder("--add-noqa", "s.py", cwd=tmp_path)
    assert proc.returncode == 2 and "not changed: a noqa comment would land inside a string" in proc.stderr
    assert (tmp_path / "s.py").read_text() == script


def test_exit_non_zero_on_fix(project):
    (project / "nofix.py").unlink()
    (project / "unsafe.py").unlink()
    proc = fixorder("--fix", "--exit-non-zero-on-fix", cwd=project)
    assert proc.returncode == 1 and "Fixed 1 finding in 1 file. All checks passed!" in proc.stderr
    assert fixorder("--fix", "--exit-non-zero-on-fix", cwd=project).returncode == 0  # nothing left to fix
    assert fixorder("--exit-non-zero-on-fix", cwd=project).returncode == 2


def test_shell_completion_script(project):
    for shell, marker in (("bash", "complete -o nosort -F"), ("zsh", "compdef"), ("fish", "complete --no-files")):
        proc = subprocess.run([sys.executable, "-m", "fixorder"], cwd=project, capture_output=True, text=True,
                              env={**os.environ, "_FIXORDER_COMPLETE": f"{shell}_source"})
        assert marker in proc.stdout, (shell, proc.stdout[:200])


def test_watch_checks_again_after_a_change(project):
    (project / "nofix.py").unlink()
    (project / "unsafe.py").unlink()
    log = project.parent / "watch.log"
    with open(log, "w") as err:
        process = subprocess.Popen([sys.executable, "-m", "fixorder", "--watch", "--watch-runs", "2", "broken.py"],
                                   cwd=project, stdout=subprocess.DEVNULL, stderr=err, text=True)
        try:
            deadline = time.monotonic() + 120
            while "watching for changes" not in log.read_text():
                assert process.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
            (project / "broken.py").write_text(FIXED_SCRIPT)
            assert process.wait(timeout=120) == 0
        finally:
            if process.poll() is None:
                process.kill()
    summaries = [line for line in log.read_text().splitlines() if "files checked" in line or "file checked" in line]
    assert summaries == ["fixorder: 1 file checked. 1 pretrained backbone found, 0 linked to data. Found 1 finding (1 fixable with --fix).",
                         "fixorder: 1 file checked. 1 pretrained backbone found, 0 linked to data. All checks passed!"]
    assert "files changed; checking again" in log.read_text()


def test_diff_of_a_file_outside_the_working_directory_applies(tmp_path):
    project, other = tmp_path / "project", tmp_path / "other"
    project.mkdir()
    other.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    (other / "train.py").write_text(BROKEN_SCRIPT)
    for target in ("../other/train.py", str(other / "train.py")):
        (other / "train.py").write_text(BROKEN_SCRIPT)
        proc = fixorder("--diff", target, cwd=project)
        assert proc.returncode == 1
        (project / "fix.patch").write_text(proc.stdout)
        # git refuses paths outside the repository unless told: README says --unsafe-paths
        subprocess.run(["git", "apply", "--unsafe-paths", "fix.patch"], cwd=project, check=True)
        assert (other / "train.py").read_text() == FIXED_SCRIPT


# --- item 12: fixes keep the call's own line breaks ------------------------------------------

GENERATOR = '''\
from tensorflow.keras.applications.mobilenet_v2 import MobileNetV2, preprocess_input
from tensorflow.keras.preprocessing.image import ImageDataGenerator

datagen = ImageDataGenerator(rotation_range=20, horizontal_flip=True, rescale=1.0 / 255,  # scale to [0, 1]
                             preprocessing_function=preprocess_input, validation_split=0.2)
train = datagen.flow_from_directory("data/train", target_size=(224, 224))
model = MobileNetV2(weights="imagenet")
model.fit(train)
'''


def test_removing_an_argument_keeps_the_calls_line_breaks(tmp_path):
    (tmp_path / "gen.py").write_text(GENERATOR)
    proc = fixorder("--fix", "gen.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "gen.py").read_text() == GENERATOR.replace(
        # The comment stays (a comment is never removed with code: README, Guarantees).
        "horizontal_flip=True, rescale=1.0 / 255,  # scale to [0, 1]\n", "horizontal_flip=True,  # scale to [0, 1]\n")


def test_a_long_inserted_layer_is_wrapped_like_the_list(tmp_path):
    """The list is written one element per line with a hanging indent: so is the long layer."""
    case = TESTDATA / "fixes" / "sequential_torch_mode.in.py"
    shutil.copy(case, tmp_path / "train.py")
    proc = fixorder("--fix", "train.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    fixed = (tmp_path / "train.py").read_text()
    assert max(len(line) for line in fixed.splitlines()) <= max(88, *(len(line) for line in case.read_text().splitlines()))
    assert ("    layers.Normalization(\n"
            "        mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],\n"
            "        variance=[(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2],\n"
            "    ),\n"
            in fixed)
