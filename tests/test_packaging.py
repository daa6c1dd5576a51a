"""What a user installs: the wheel and sdist build, pass metadata checks, and the wheel works."""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from tests.cli_helpers import ROOT


@pytest.mark.skipif(os.environ.get("FIXORDER_WHEEL_SMOKE_DONE") == "1", reason=".ci/run already ran the script")
def test_built_wheel_installs_into_a_fresh_venv_and_runs(builds_this_checkout):
    proc = subprocess.run(["bash", str(ROOT / "scripts" / "wheel_smoke.sh"), str(ROOT / ".venv" / "bin" / "python")],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("PASSED") == 2  # twine check: the wheel and the sdist
    assert "wheel smoke test passed" in proc.stdout


def test_no_reference_to_a_file_that_does_not_exist():
    documents = [ROOT / "README.md", ROOT / ".pre-commit-hooks.yaml", ROOT / "action.yml"]
    missing = []
    for path in documents:
        text = path.read_text(encoding="utf-8")
        for name in re.findall(r"\b((?:docs|tests|scripts|testdata|benchmarks|fixorder|codemods)/[\w./-]+"
                               r"\.(?:md|py|sh|yml|yaml|json))\b", text):
            if not (ROOT / name).exists():
                missing.append(f"{path.name}: {name}")
    for path in [*documents, *ROOT.glob("tests/*.py"), *ROOT.glob("fixorder/**/*.py")]:
        if path.name != "test_packaging.py" and "DESIGN.md" in path.read_text(encoding="utf-8"):
            missing.append(f"{path.name}: DESIGN.md (not in the repository)")
    assert missing == []
