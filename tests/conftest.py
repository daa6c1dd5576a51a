from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TESTDATA = ROOT / "testdata"

# TensorFlow start-up chatter is noise in test output.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@pytest.fixture
def run_cli(tmp_path):
    """Run the real command line in a subprocess; returns CompletedProcess."""
    import subprocess

    def run(*args: str, cwd: Path | None = None, input: str | None = None):
        return subprocess.run([sys.executable, "-m", "fixorder", *args], cwd=cwd or tmp_path,
                              capture_output=True, text=True, input=input)

    return run
