"""The analysis gives, for every fixture, exactly what was recorded before its substrate moved
from libcst to CPython's ``ast`` (issue 18): findings with positions, messages and report
edits, backbone counts, errors and warnings, ``fixorder explain``'s report, and the text
``--fix`` writes under each strategy.  benchmarks/substrate_oracle.py recorded the oracle
(``record-fixtures``) and runs the same comparison over the corpus and the installed packages.

A deliberate change of what fixorder reports (a new fixture, a rule's new message) is
recorded again with ``python benchmarks/substrate_oracle.py record-fixtures`` on the libcst
path, and the JSON's diff reviewed; a change of substrate must never need that.
"""

from __future__ import annotations

import json

import pytest

from tests.benchmark_scripts import load_benchmark

oracle_script = load_benchmark("substrate_oracle", "fixorder_substrate_oracle")
RECORDED = json.loads(oracle_script.FIXTURES_ORACLE.read_text(encoding="utf-8"))
FIXTURE_TEXTS = oracle_script.texts(oracle_script.fixture_files())
SOURCES = FIXTURE_TEXTS + oracle_script.edge_sources(FIXTURE_TEXTS)


def test_the_oracle_covers_every_fixture_and_every_kind_of_outcome():
    assert sorted(RECORDED) == sorted(display for display, _ in SOURCES)
    records = list(RECORDED.values())
    assert sum(bool(r["check"]["findings"]) for r in records) > 200
    assert sum(r.get("fix_insert_unsafe", {}).get("new_text") is not None for r in records) > 100
    assert sum(bool(r["check"]["error"]) for r in records) == 2
    assert any(display.endswith(".ipynb") for display in RECORDED)
    # Non-ASCII names before a finding on its line: columns in characters, not UTF-8 bytes.
    respelt = [r for d, r in RECORDED.items() if d.startswith("edge/unicode/") and r["check"]["findings"]]
    assert len(respelt) >= 10


@pytest.mark.parametrize("display,text", SOURCES, ids=[display for display, _ in SOURCES])
def test_the_analysis_gives_what_the_oracle_recorded(display, text):
    observed = oracle_script.observe(display, text)
    assert oracle_script.differences(RECORDED[display], observed, limit=10) == []
