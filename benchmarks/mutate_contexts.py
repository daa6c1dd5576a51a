"""pytest plugin for benchmarks/mutate.py's coverage map: each test's lines are recorded under
its node id (``coverage`` dynamic context), and the node id is exported as
``FIXORDER_MUTATE_TEST`` so that a CLI subprocess the test starts records its lines under the
same id (the subprocess's coverage reads it as its static context)."""

from __future__ import annotations

import os

import coverage
import pytest

_ORDER_FILE = os.environ.get("FIXORDER_MUTATE_ORDER")


def _switch(context: str) -> None:
    os.environ["FIXORDER_MUTATE_TEST"] = context
    current = coverage.Coverage.current()
    if current is not None:
        current.switch_context(context)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _switch(item.nodeid)
    if _ORDER_FILE:
        with open(_ORDER_FILE, "a", encoding="utf-8") as out:
            out.write(item.nodeid + "\n")
    yield
    _switch("")
