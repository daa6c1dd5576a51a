"""``# noqa`` and ``# fixorder: ignore[...]`` comments: every listed code counts, not only the first.

Checked through ``check_source`` (the engine every command uses) on a script with one FO101
finding on a known line, so each case says both what is suppressed and what is kept.
"""

from __future__ import annotations

import pytest

from fixorder.run.engine import Options, check_source
from tests.cli_helpers import BROKEN_SCRIPT

REPORTED_LINE = "x = base(x, training=False)"


def _codes(source: str) -> list[str]:
    return [f.code for f in check_source("train.py", source, Options()).findings]


def _with_comment(comment: str) -> str:
    assert REPORTED_LINE in BROKEN_SCRIPT
    return BROKEN_SCRIPT.replace(REPORTED_LINE, f"{REPORTED_LINE}  {comment}")


def test_the_script_has_its_finding_without_a_comment() -> None:
    assert _codes(BROKEN_SCRIPT) == ["FO101"]
    [finding] = check_source("train.py", BROKEN_SCRIPT, Options()).findings
    assert BROKEN_SCRIPT.splitlines()[finding.line - 1] == REPORTED_LINE


@pytest.mark.parametrize("comment", [
    "# noqa: FO101",
    "# noqa: FO102, FO101",
    "# noqa: FO102,FO104,FO101",
    "# noqa:FO101 , FO102",
    "# NOQA: fo102, fo101",
    "# noqa",
    "# fixorder: ignore[FO101]",
    "# fixorder: ignore[FO102, FO101]",
    "# fixorder: ignore[FO104,FO102,FO101]",
])
def test_a_comment_listing_the_code_anywhere_suppresses_it(comment: str) -> None:
    assert _codes(_with_comment(comment)) == []


@pytest.mark.parametrize("comment", [
    "# noqa: FO102",
    "# noqa: FO102, FO104",
    "# noqa: FO1011",
    "# fixorder: ignore[FO102, FO104]",
    "# a comment that is not a suppression",
])
def test_a_comment_without_the_code_keeps_the_finding(comment: str) -> None:
    assert _codes(_with_comment(comment)) == ["FO101"]


@pytest.mark.parametrize("header, kept", [
    ("# fixorder: noqa\n", []),
    ("# fixorder: noqa: FO104, FO101\n", []),
    ("# fixorder: noqa: FO101\n", []),
    ("# fixorder: noqa: FO102, FO104\n", ["FO101"]),
])
def test_file_level_exemptions_honour_every_listed_code(header: str, kept: list[str]) -> None:
    assert _codes(header + BROKEN_SCRIPT) == kept


def test_a_suppression_on_another_line_does_not_apply() -> None:
    source = BROKEN_SCRIPT.replace("x = augment(inputs)", "x = augment(inputs)  # noqa: FO101")
    assert source != BROKEN_SCRIPT
    assert _codes(source) == ["FO101"]
