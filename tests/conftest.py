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


# pytest-xdist (`-n 2 --dist loadgroup`, the README's test command) spreads single tests over
# the workers; these must stay on one worker:
# * a module whose tests share a module- or session-scoped fixture of the project's (a Dask
#   cluster, a pre-commit environment, a TensorFlow child): set up once, not once per worker;
# * the tests that build this checkout in place (pip install ROOT, python -m build ROOT write
#   ROOT/build and ROOT/*.egg-info): two at once would race on those folders.
_BUILDS_THIS_CHECKOUT = {"tests/test_action.py", "tests/test_packaging.py"}


def _worker_group(item: pytest.Item) -> str | None:
    module = item.nodeid.split("::")[0]
    if module in _BUILDS_THIS_CHECKOUT:
        return "builds-this-checkout"
    info = getattr(item, "_fixtureinfo", None)
    for definitions in (info.name2fixturedefs.values() if info else ()):
        for definition in definitions:
            # baseid "" is pytest's own (tmp_path_factory is session-scoped and per worker anyway).
            if definition.scope != "function" and definition.baseid:
                return module
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        group = _worker_group(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))


def pytest_configure(config):
    # Known without pytest-xdist too (then it does nothing).
    config.addinivalue_line("markers", "xdist_group(name): run these tests on one pytest-xdist worker")
