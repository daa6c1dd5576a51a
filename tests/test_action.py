"""action.yml's steps, run locally the way the Actions runner runs a composite action.

Each ``run`` step is executed with bash, its ``env`` resolved from the inputs, in a fresh
RUNNER_TEMP, with what a step appends to GITHUB_PATH on the PATH of the steps after it.  The
install step installs this checkout into a new virtualenv; so that nothing is downloaded, its
dependencies (and setuptools for the build) come from the test's own environment through
PYTHONPATH, and pip runs with --no-deps and no build isolation.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
import yaml

from tests.cli_helpers import BROKEN_SCRIPT, FIXED_SCRIPT, ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
# This environment's site-packages folders (not the checkouts an editable install puts on sys.path).
DEPENDENCIES = os.pathsep.join(p for p in sys.path if p.endswith("site-packages"))


def _resolve(value: str, inputs: dict[str, str]) -> str:
    return re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: inputs[m.group(1)], str(value))


def _condition(expression: str | None, inputs: dict[str, str], failed: bool) -> bool:
    if expression is None:
        return not failed
    body = expression.strip().removeprefix("${{").removesuffix("}}").strip()
    always = "always()" in body
    body = body.replace("always() &&", "").strip()
    match = re.fullmatch(r"inputs\.([\w-]+) == '([^']*)'", body)
    assert match, f"the test does not understand the condition {expression!r}"
    return (always or not failed) and inputs[match.group(1)] == match.group(2)


def run_action(workspace, **given: str) -> list[tuple[str, subprocess.CompletedProcess | None]]:
    """Run the action's steps; returns (step name, result) for each, None for a `uses:` step."""
    inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    inputs.update(given)
    runner_temp = workspace.parent / "runner-temp"
    runner_temp.mkdir(exist_ok=True)
    github_path = runner_temp / "github_path"
    github_path.write_text("")
    base_env = {**os.environ, "GITHUB_ACTION_PATH": str(ROOT), "RUNNER_TEMP": str(runner_temp),
                "GITHUB_PATH": str(github_path), "GITHUB_ACTIONS": "true",
                # no downloads: the test's own packages serve as fixorder's dependencies
                "PYTHONPATH": DEPENDENCIES, "PIP_NO_DEPS": "1",
                "PIP_NO_BUILD_ISOLATION": "0", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    results, failed = [], False
    assert ACTION["runs"]["using"] == "composite"
    for step in ACTION["runs"]["steps"]:
        if not _condition(step.get("if"), inputs, failed):
            continue
        if "uses" in step:
            results.append((step["name"], None))
            continue
        assert step["shell"] == "bash"
        added = [line for line in github_path.read_text().splitlines() if line]
        env = {**base_env, **{k: _resolve(v, inputs) for k, v in step.get("env", {}).items()}}
        env["PATH"] = os.pathsep.join([*reversed(added), base_env["PATH"]])
        proc = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=workspace, env=env, capture_output=True,
                              text=True, timeout=600)
        results.append((step["name"], proc))
        failed = failed or proc.returncode != 0
    return results


@pytest.fixture
def workspace(tmp_path, builds_this_checkout):
    # The install step builds this checkout in place (see tests/conftest.py).
    repo = tmp_path / "repo"
    (repo / "src").mkdir(parents=True)
    (repo / "src" / "train.py").write_text(BROKEN_SCRIPT)
    (repo / "src" / "ok.py").write_text(FIXED_SCRIPT)
    return repo


def test_check_step_annotates_and_fails_on_findings(workspace):
    python = getattr(sys, "_base_executable", sys.executable)
    steps = dict(run_action(workspace, python=python))
    assert list(steps) == ["Install fixorder", "Check (annotations on the pull request)"]
    install = steps["Install fixorder"]
    assert install.returncode == 0, install.stderr
    check = steps["Check (annotations on the pull request)"]
    assert check.returncode == 1, check.stderr
    annotations = [line for line in check.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 1
    assert annotations[0].startswith("::warning") or annotations[0].startswith("::error")
    assert "file=src/train.py,line=8" in annotations[0] and "FO101" in annotations[0]
    # the installed copy ran, not this checkout
    venv = workspace.parent / "runner-temp" / "fixorder-venv"
    assert (venv / "bin" / "fixorder").exists()
    where = subprocess.run([venv / "bin" / "python", "-c", "import fixorder; print(fixorder.__file__)"],
                           env={**os.environ, "PYTHONPATH": DEPENDENCIES}, cwd=workspace, capture_output=True,
                           text=True).stdout
    assert where.startswith(str(venv)), where


def test_sarif_is_written_before_the_check_and_uploaded_even_when_it_fails(workspace):
    python = getattr(sys, "_base_executable", sys.executable)
    steps = run_action(workspace, python=python, sarif="true", args="src")
    names = [name for name, _ in steps]
    assert names == ["Install fixorder", "Write the SARIF report", "Check (annotations on the pull request)",
                     "Upload the SARIF report"]
    sarif_step = dict(steps)["Write the SARIF report"]
    assert sarif_step.returncode == 0, sarif_step.stderr  # --exit-zero: the check step decides
    report = json.loads((workspace / "fixorder.sarif").read_text())
    assert report["version"] == "2.1.0"
    assert [r["ruleId"] for r in report["runs"][0]["results"]] == ["FO101"]
    assert dict(steps)["Check (annotations on the pull request)"].returncode == 1
    upload = next(step for step in ACTION["runs"]["steps"] if step["name"] == "Upload the SARIF report")
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
