"""The command line contract (README.md, Usage), through the real entry point in a subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess

from tests.conftest import TESTDATA

A = TESTDATA / "FO101" / "eager_augmented_batch.py"
CLEAN = TESTDATA / "FO101" / "eager_preprocessed.py"


def _project(tmp_path, *cases):
    src = tmp_path / "src"
    src.mkdir()
    for case in cases:
        shutil.copy(case, src / case.name)
    return src


def test_diff_on_a_directory_is_git_applicable(tmp_path, run_cli) -> None:
    _project(tmp_path, A, CLEAN)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    before = (tmp_path / "src" / A.name).read_text()
    result = run_cli("--diff", "src/")
    assert result.returncode == 1
    assert result.stdout.startswith(f"--- a/src/{A.name}\n+++ b/src/{A.name}\n")
    assert ("+features = base(\n+    keras.applications.mobilenet_v2.preprocess_input(augmented)\n+)"
            in result.stdout)
    assert (tmp_path / "src" / A.name).read_text() == before, "--diff writes nothing"
    patch = tmp_path / "fix.patch"
    patch.write_text(result.stdout)
    subprocess.run(["git", "apply", str(patch)], cwd=tmp_path, check=True)
    assert run_cli("src/").returncode == 0


def test_exit_codes(tmp_path, run_cli) -> None:
    _project(tmp_path, A, CLEAN)
    assert run_cli(f"src/{CLEAN.name}").returncode == 0
    assert run_cli(f"src/{A.name}").returncode == 1
    assert run_cli(f"src/{A.name}", "--exit-zero").returncode == 0
    assert run_cli().returncode == 1, "no path checks the current directory, as ruff does"
    assert run_cli("check").returncode == 1
    assert run_cli("--output-format", "nonsense", "src").returncode == 2
    assert run_cli("--select", "FO999", "src").returncode == 2


def test_fix_writes_and_then_is_clean(tmp_path, run_cli) -> None:
    _project(tmp_path, A)
    result = run_cli("--fix", "src")
    assert result.returncode == 0, result.stderr
    assert "Fixed 1 finding in 1 file" in result.stderr
    fixed = (tmp_path / "src" / A.name).read_text()
    assert "mobilenet_v2.preprocess_input(augmented)" in fixed
    again = run_cli("--fix", "src")
    assert again.returncode == 0 and (tmp_path / "src" / A.name).read_text() == fixed


def test_unparsable_file_is_fo001_and_the_others_are_still_checked(tmp_path, run_cli) -> None:
    src = _project(tmp_path, A)
    # It names a backbone module: a file that cannot have a finding is never parsed (prefilter.py).
    (src / "broken.py").write_text("from keras import applications\ndef broken(:\n    pass\n")
    result = run_cli("--output-format", "json", "src")
    assert result.returncode == 2
    findings = json.loads(result.stdout)
    assert [f["code"] for f in findings] == ["FO101", "FO001"] or [f["code"] for f in findings] == ["FO001", "FO101"]
    assert any("src/broken.py" in line and "syntax error" in line for line in result.stderr.splitlines())


def test_json_schema(tmp_path, run_cli) -> None:
    _project(tmp_path, A)
    [finding] = json.loads(run_cli("--output-format", "json", "src").stdout)
    assert set(finding) == {"path", "line", "column", "end_line", "end_column", "code", "name", "message",
                            "backbone", "module", "expects", "cell", "fix"}
    assert finding["path"] == f"src/{A.name}"
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (14, 12, 14, 27)
    assert finding["code"] == "FO101" and finding["name"] == "missing-preprocess-input"
    assert (finding["backbone"], finding["module"], finding["expects"]) == ("MobileNetV2", "mobilenet_v2", "tf")
    assert finding["cell"] is None
    assert finding["fix"]["applicability"] == "safe" and finding["fix"]["strategy"] == "insert"
    [edit] = finding["fix"]["edits"]
    assert edit["start"] == {"line": 14, "column": 1} and edit["end"] == {"line": 15, "column": 1}
    assert edit["content"].startswith("features = base(\n    keras.applications.mobilenet_v2.preprocess_input(augmented)\n)")
    assert "MobileNetV2" in finding["message"] and "[-1, 1]" in finding["message"]
    assert "RandomBrightness" in finding["message"]


def test_select_and_ignore(tmp_path, run_cli) -> None:
    _project(tmp_path, A)
    assert run_cli("--ignore", "FO101", "src").returncode == 0
    assert run_cli("--select", "FO1", "src").returncode == 1
    assert run_cli("--select", "FO101", "--no-cache", "src").returncode == 1


def test_concise_and_full_output(tmp_path, run_cli) -> None:
    _project(tmp_path, A)
    concise = run_cli("--output-format", "concise", "src").stdout
    assert concise.startswith(f"src/{A.name}:14:12: FO101 [*] MobileNetV2 expects [-1, 1]")
    full = run_cli("src").stdout
    assert "14 | features = base(augmented)" in full
    assert "= fix: apply keras.applications.mobilenet_v2.preprocess_input before MobileNetV2" in full


def test_fold_strategy_diff(tmp_path, run_cli) -> None:
    _project(tmp_path, A)
    out = run_cli("--diff", "--strategy", "fold", "src").stdout
    assert "+def augment_and_preprocess(images, training=None):" in out
    assert "+augmented = augment_and_preprocess(images, training=True)" in out


def test_rule_documentation(run_cli) -> None:
    result = run_cli("rule", "FO101")
    assert result.returncode == 0
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"):
        assert section in result.stdout
    assert run_cli("rule", "FO999").returncode == 2


def test_noqa_suppresses(tmp_path, run_cli) -> None:
    src = _project(tmp_path, A)
    path = src / A.name
    path.write_text(path.read_text().replace("features = base(augmented)  #", "features = base(augmented)  # noqa: FO101 "))
    assert run_cli("src").returncode == 0
