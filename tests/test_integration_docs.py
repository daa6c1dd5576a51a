"""The snippets in README.md's integration sections work as pasted: hook ids, hook settings, the libcst config."""

from __future__ import annotations

import re
import subprocess
import sys

import yaml

from tests.cli_helpers import BROKEN_SCRIPT, FIXED_SCRIPT, ROOT

DOC = (ROOT / "README.md").read_text(encoding="utf-8")


def _yaml_block(section: str) -> object:
    body = re.split(r"\n#{2,4} ", DOC.split(f"\n### {section}\n", 1)[1], maxsplit=1)[0]
    return yaml.safe_load(re.search(r"```yaml\n(.*?)```", body, re.S).group(1))


def test_pre_commit_hooks_and_the_documented_snippet_agree():
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"fixorder", "fixorder-fix"}
    for hook in hooks.values():
        assert hook["types_or"] == ["python", "jupyter"] and hook["require_serial"] is True
        assert hook["language"] == "python" and hook["entry"].startswith("fixorder check")
    assert "--fix" in hooks["fixorder-fix"]["entry"] and "--fix" not in hooks["fixorder"]["entry"]
    snippet = _yaml_block("pre-commit")
    [repo] = snippet["repos"]
    assert {hook["id"] for hook in repo["hooks"]} <= set(hooks)


def test_documented_libcst_config_runs_the_codemods_in_a_user_project(tmp_path):
    config = _yaml_block("libcst codemods")
    assert config["modules"] == ["codemods"]
    (tmp_path / ".libcst.codemod.yaml").write_text(yaml.safe_dump(config))
    (tmp_path / "train.py").write_text(BROKEN_SCRIPT)
    listed = subprocess.run([sys.executable, "-m", "libcst.tool", "list"], cwd=tmp_path, capture_output=True,
                            text=True)
    assert "commands.InsertPreprocessCommand" in listed.stdout and "commands.FoldPreprocessCommand" in listed.stdout
    proc = subprocess.run([sys.executable, "-m", "libcst.tool", "codemod", "--no-format", "--hide-progress",
                           "commands.InsertPreprocessCommand", "."], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "train.py").read_text() == FIXED_SCRIPT
    # As README shows the commands: without --no-format (libcst then runs the configured formatter).
    (tmp_path / "train.py").write_text(BROKEN_SCRIPT)
    proc = subprocess.run([sys.executable, "-m", "libcst.tool", "codemod", "--hide-progress",
                           "commands.InsertPreprocessCommand", "."], cwd=tmp_path, capture_output=True, text=True)
    assert "Traceback" not in proc.stderr and "Failed to codemod 0 files" in proc.stderr, proc.stderr
    assert (tmp_path / "train.py").read_text() == FIXED_SCRIPT


def test_documented_default_excludes_are_the_real_ones():
    from fixorder.inputs.discovery import DEFAULT_EXCLUDES

    paragraph = DOC.split("- Default excludes:", 1)[1].split("`--exclude` replaces", 1)[0]
    assert set(re.findall(r"`([^`]+)`", paragraph)) == set(DEFAULT_EXCLUDES)
