"""[tool.fixorder] in pyproject.toml: found from below, validated, overridden by the command line."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.cli_helpers import BROKEN_SCRIPT, FIXED_SCRIPT, fixorder


def _project(tmp_path, table: str):
    (tmp_path / "pyproject.toml").write_text(f"[project]\nname = 'demo'\n\n[tool.fixorder]\n{table}\n")
    src = tmp_path / "src"
    src.mkdir()
    (src / "train.py").write_text(BROKEN_SCRIPT)
    return src


def _codes(proc) -> list[str]:
    return [f["code"] for f in json.loads(proc.stdout)]


def test_nearest_pyproject_is_used_from_a_subdirectory(tmp_path):
    src = _project(tmp_path, 'ignore = ["FO101"]')
    proc = fixorder("--output-format", "json", "train.py", cwd=src)
    assert proc.returncode == 0, proc.stderr
    assert _codes(proc) == []


def test_command_line_select_overrides_config(tmp_path):
    src = _project(tmp_path, 'select = ["FO1"]\nignore = []')
    assert _codes(fixorder("--output-format", "json", "train.py", cwd=src)) == ["FO101"]
    assert _codes(fixorder("--output-format", "json", "--ignore", "FO101", "train.py", cwd=src)) == []


def test_per_file_ignores(tmp_path):
    src = _project(tmp_path, '[tool.fixorder.per-file-ignores]\n"src/legacy_*.py" = ["FO101"]\n"notebook_*.py" = ["FO1"]')
    (src / "legacy_train.py").write_text(BROKEN_SCRIPT)
    (src / "notebook_x.py").write_text(BROKEN_SCRIPT)
    proc = fixorder("--output-format", "json", ".", cwd=src)
    assert [f["path"] for f in json.loads(proc.stdout)] == ["train.py"]


def test_per_file_ignores_stop_the_fix_too(tmp_path):
    src = _project(tmp_path, '[tool.fixorder.per-file-ignores]\n"train.py" = ["FO101"]')
    proc = fixorder("--fix", "train.py", cwd=src)
    assert proc.returncode == 0
    assert (src / "train.py").read_text() == BROKEN_SCRIPT


def test_strategy_and_unsafe_fixes_from_config_and_cli_override(tmp_path):
    src = _project(tmp_path, 'strategy = "fold"\nunsafe-fixes = false')
    proc = fixorder("--diff", "train.py", cwd=src)
    assert "def augment_and_preprocess" in proc.stdout
    proc = fixorder("--diff", "--strategy", "insert", "train.py", cwd=src)
    assert "augment_and_preprocess" not in proc.stdout and "preprocess_input(x)" in proc.stdout


def test_exclude_from_config(tmp_path):
    src = _project(tmp_path, 'extend-exclude = ["src/generated/"]')
    (src / "generated").mkdir()
    (src / "generated" / "model.py").write_text(BROKEN_SCRIPT)
    proc = fixorder("--output-format", "json", ".", cwd=tmp_path)
    assert [f["path"] for f in json.loads(proc.stdout)] == ["src/train.py"]


@pytest.mark.parametrize("table, message", [
    ('selct = ["FO101"]', "unknown key selct"),
    ('select = "FO9"', "select: unknown rule code or prefix: FO9"),
    ('strategy = "sideways"', "strategy: expected one of insert, fold, got 'sideways'"),
    ('unsafe-fixes = "yes"', "unsafe-fixes: expected true or false, got 'yes'"),
    ('ignore = [1]', "ignore: expected a list of strings"),
    ('per-file-ignores = ["x"]', "per-file-ignores: expected a table"),
    ('[tool.fixorder.per-file-ignores]\n"*.py" = ["XX1"]', "unknown rule code or prefix: XX1"),
])
def test_bad_config_is_a_clear_error_with_exit_2(tmp_path, table, message):
    src = _project(tmp_path, table)
    proc = fixorder("train.py", cwd=src)
    assert proc.returncode == 2
    [line] = proc.stderr.splitlines()
    assert line.startswith(f"fixorder: error: {tmp_path / 'pyproject.toml'}: [tool.fixorder]")
    assert message in line


def test_invalid_toml_is_a_clear_error(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.fixorder\n")
    (tmp_path / "train.py").write_text(FIXED_SCRIPT)
    proc = fixorder("train.py", cwd=tmp_path)
    assert proc.returncode == 2
    assert "pyproject.toml: invalid TOML" in proc.stderr


def test_pyproject_without_a_fixorder_table_is_passed_over(tmp_path):
    _project(tmp_path, 'ignore = ["FO101"]')
    inner = tmp_path / "src"
    (inner / "pyproject.toml").write_text("[project]\nname = 'inner'\n")
    assert fixorder("train.py", cwd=inner).returncode == 0


def test_explicit_config_file(tmp_path):
    src = _project(tmp_path, 'ignore = ["FO101"]')
    other = tmp_path / "strict.toml"
    other.write_text("[tool.fixorder]\nselect = ['ALL']\n")
    assert fixorder("train.py", cwd=src).returncode == 0
    assert fixorder("--config", str(other), "train.py", cwd=src).returncode == 1


UNSAFE_CASE = Path(__file__).resolve().parent.parent / "testdata" / "fixes" / "FO104_function_parameter_origin.unsafe.in.py"


def test_unsafe_fixes_true_in_config_applies_unsafe_fixes_and_the_cli_overrides_it(tmp_path):
    src = _project(tmp_path, "unsafe-fixes = true")
    original = UNSAFE_CASE.read_text()
    fixed = UNSAFE_CASE.with_name(UNSAFE_CASE.name.replace(".in.py", ".out.py")).read_text()
    (src / "embed.py").write_text(original)
    proc = fixorder("--fix", "--no-unsafe-fixes", "embed.py", cwd=src)
    assert proc.returncode == 1 and (src / "embed.py").read_text() == original, proc.stderr
    proc = fixorder("--fix", "embed.py", cwd=src)
    assert proc.returncode == 0, proc.stderr
    assert (src / "embed.py").read_text() == fixed
    # Without the config line the same command leaves the unsafe fix alone.
    (tmp_path / "pyproject.toml").write_text("[tool.fixorder]\nunsafe-fixes = false\n")
    (src / "embed.py").write_text(original)
    proc = fixorder("--fix", "embed.py", cwd=src)
    assert proc.returncode == 1 and (src / "embed.py").read_text() == original
    assert "1 fixable with --unsafe-fixes" in proc.stderr


def _git_repo_with_ignored_file(tmp_path, table: str) -> Path:
    src = _project(tmp_path, table)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / ".gitignore").write_text("src/ignored.py\n")
    (src / "ignored.py").write_text(BROKEN_SCRIPT)
    return src


@pytest.mark.parametrize("table, paths", [
    ("respect-gitignore = true", ["src/train.py"]),
    ("respect-gitignore = false", ["src/ignored.py", "src/train.py"]),
])
def test_respect_gitignore_from_config(tmp_path, table, paths):
    _git_repo_with_ignored_file(tmp_path, table)
    proc = fixorder("--output-format", "json", ".", cwd=tmp_path)
    assert sorted(f["path"] for f in json.loads(proc.stdout)) == paths


def test_no_respect_gitignore_on_the_command_line_wins_over_the_config(tmp_path):
    _git_repo_with_ignored_file(tmp_path, "respect-gitignore = true")
    proc = fixorder("--output-format", "json", "--no-respect-gitignore", ".", cwd=tmp_path)
    assert sorted(f["path"] for f in json.loads(proc.stdout)) == ["src/ignored.py", "src/train.py"]


@pytest.mark.parametrize("table, args, paths", [
    ('extend-exclude = ["scratch/"]\nforce-exclude = true', [], ["src/train.py"]),
    ('extend-exclude = ["scratch/"]\nforce-exclude = false', [], ["scratch/try.py", "src/train.py"]),
    ('extend-exclude = ["scratch/"]', [], ["scratch/try.py", "src/train.py"]),
    ('extend-exclude = ["scratch/"]\nforce-exclude = true', ["--no-force-exclude"], ["scratch/try.py", "src/train.py"]),
    ('extend-exclude = ["scratch/"]\nforce-exclude = false', ["--force-exclude"], ["src/train.py"]),
])
def test_force_exclude_from_config_applies_excludes_to_named_files(tmp_path, table, args, paths):
    _project(tmp_path, table)
    (tmp_path / "scratch").mkdir()
    (tmp_path / "scratch" / "try.py").write_text(BROKEN_SCRIPT)
    proc = fixorder("--output-format", "json", *args, "scratch/try.py", "src/train.py", cwd=tmp_path)
    assert sorted(f["path"] for f in json.loads(proc.stdout)) == paths
