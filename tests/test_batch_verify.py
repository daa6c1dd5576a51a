"""``fixorder batch --verify`` over real git repositories: verify runs each repository's linked
pipelines (real TensorFlow, in the sandbox), and refuses to run them without it by default."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.batch_helpers import make_repo
from tests.conftest import TESTDATA

pytest.importorskip("tensorflow")

from fixorder.verify import sandbox  # noqa: E402

FAILING = (TESTDATA / "verify" / "eager_augment_fail.py").read_text()
PASSING = (TESTDATA / "verify" / "eager_augment_preprocess_pass.py").read_text()
# A builder: the static analysis links no data to its backbone, so verify does not run it.
BUILDER = "import keras\n\ndef build():\n    return keras.applications.ResNet50(include_top=False)\n"


def batch(*args: str, cwd, no_sandbox: bool = False) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("FIXORDER_VERIFY_NO_SANDBOX", None)
    if no_sandbox:
        env["FIXORDER_VERIFY_NO_SANDBOX"] = "1"  # what a machine without bubblewrap looks like
    return subprocess.run([sys.executable, "-m", "fixorder", "batch", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=900)


def test_without_a_sandbox_batch_verify_refuses_to_run_anything(tmp_path):
    make_repo(tmp_path, "repo", {"train.py": FAILING})
    report = tmp_path / "report.json"
    proc = batch("--verify", "--report", str(report), "repo", cwd=tmp_path, no_sandbox=True)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("fixorder batch: error: --verify: no sandbox:"), proc.stderr
    assert "--no-require-sandbox" in proc.stderr
    assert not report.exists(), "nothing ran"


@pytest.mark.skipif(not sandbox.probe().isolated, reason="bubblewrap sandbox not available here")
def test_batch_verify_records_each_linked_pipeline_verdict_sandboxed(tmp_path):
    make_repo(tmp_path, "repo", {"src/train.py": FAILING, "src/model.py": BUILDER, "README.md": "x\n"})
    report = tmp_path / "report.json"
    proc = batch("--verify", "--report", str(report), "repo", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    record = json.loads(report.read_text())["repositories"][str(tmp_path / "repo")]
    assert record["verify_counts"] == {"fail": 1}, record["verified"]
    [result] = record["verified"]
    assert (result["path"], result["backbone"], result["line"]) == ("src/train.py", "MobileNetV2", 18)
    assert result["isolation"].startswith("sandboxed: bubblewrap")
    assert "verify: 1 fail" in proc.stdout


def test_no_require_sandbox_runs_it_not_isolated_and_says_so(tmp_path):
    make_repo(tmp_path, "repo", {"train.py": PASSING})
    report = tmp_path / "report.json"
    proc = batch("--verify", "--no-require-sandbox", "--report", str(report), "repo", cwd=tmp_path, no_sandbox=True)
    assert proc.returncode == 0, proc.stderr
    record = json.loads(report.read_text())["repositories"][str(tmp_path / "repo")]
    assert record["verify_counts"] == {"pass": 1}, record["verified"]
    assert record["verified"][0]["isolation"].startswith("not isolated:")


def test_without_verify_nothing_is_run(tmp_path):
    make_repo(tmp_path, "repo", {"train.py": FAILING})
    report = tmp_path / "report.json"
    proc = batch("--report", str(report), "repo", cwd=tmp_path, no_sandbox=True)
    assert proc.returncode == 0, proc.stderr
    record = json.loads(report.read_text())["repositories"][str(tmp_path / "repo")]
    assert record["verified"] == [] and record["verify_counts"] == {}
