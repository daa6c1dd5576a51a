"""Fixes keep the file's line length: no fixed line is longer than the longest line of the
input (or 88 when all are shorter), and the call's own line breaks stay."""

from __future__ import annotations

from pathlib import Path

import pytest

from codemods.wrap import DEFAULT_LINE_LENGTH, line_limit, wrap_long_lines
from fixorder.run.engine import Options, fix_source
from tests.conftest import TESTDATA
from tests.fix_invariants import broken_invariants, has_applicable_fix

FIXTURES = sorted(TESTDATA.glob("FO*/*.py")) + sorted(TESTDATA.glob("fixes/*.in.py"))
FIXED = [(f, s) for s in ("insert", "fold") for f in FIXTURES if has_applicable_fix(f, s)]


def _too_long(text: str, limit: int) -> list[str]:
    return [line for line in text.splitlines() if len(line) > limit]


@pytest.mark.parametrize("fixture, strategy", FIXED, ids=[f"{p.parent.name}/{p.name}-{s}" for p, s in FIXED])
def test_no_fix_writes_a_line_longer_than_the_file_has(fixture: Path, strategy: str) -> None:
    source = fixture.read_text(encoding="utf-8")
    fixed = fix_source(fixture.name, source, Options(strategy=strategy, unsafe_fixes=True)).fixed_source
    assert fixed is not None
    assert _too_long(fixed, line_limit(source)) == []


def test_the_limit_is_the_longest_line_or_88() -> None:
    assert line_limit("x = 1\n") == DEFAULT_LINE_LENGTH
    assert line_limit("x = 1\n" + "y = " + "1" * 100 + "\n") == 104


WRAP_CASES = sorted(TESTDATA.glob("fixes/wrap_*.in.py"))


@pytest.mark.parametrize("case", WRAP_CASES, ids=lambda p: p.name[: -len(".in.py")])
def test_wrapped_fixes_keep_the_guarantees(case: Path) -> None:
    """Parse, idempotent, no undefined name, nothing fixable left (tests/fix_invariants.py)."""
    for strategy in ("insert", "fold"):
        assert broken_invariants(case.name, case.read_text(), Options(strategy=strategy, unsafe_fixes=True)) == []


def test_wrap_cases_cover_every_fixing_rule() -> None:
    assert {c.name.split("_")[1] for c in WRAP_CASES} >= {"FO101", "FO102", "FO103", "FO104", "FO105", "FO106"}


def test_a_line_already_that_long_is_left_alone() -> None:
    text = "model = build(first_argument_name=1, second_argument_name=2, third_argument_name=3)\n"
    assert wrap_long_lines(text, line_limit(text)) == text


def test_what_cannot_be_broken_stays_as_it_is() -> None:
    text = 'message = "' + "x" * 120 + '"\n'
    assert wrap_long_lines(text, 88) == text


@pytest.mark.parametrize("text, expected", [
    # No multi-line bracket in the file: black's hanging indent, one item per line when needed.
    ("base = keras.applications.ResNet50(include_top=False, weights='imagenet', input_tensor=preprocess(x))\n",
     "base = keras.applications.ResNet50(\n"
     "    include_top=False, weights='imagenet', input_tensor=preprocess(x)\n"
     ")\n"),
    # An aligned neighbour: the items are filled onto lines aligned after the bracket.
    ("gen = Generator(rotation_range=20,\n"
     "                zoom_range=0.1)\n"
     "flow = gen.flow_from_directory('data/train', target_size=(224, 224), class_mode='categorical', batch=32)\n",
     "gen = Generator(rotation_range=20,\n"
     "                zoom_range=0.1)\n"
     "flow = gen.flow_from_directory('data/train', target_size=(224, 224),\n"
     "                               class_mode='categorical', batch=32)\n"),
    # Inside a bracket written with a hanging indent and the closing bracket on its own line.
    ("layers = [\n"
     "    Normalization(mean=[0.485 * 255, 0.456 * 255, 0.406 * 255], variance=[0.229 ** 2, 0.224 ** 2, 0.225 ** 2]),\n"
     "]\n",
     "layers = [\n"
     "    Normalization(\n"
     "        mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],\n"
     "        variance=[0.229 ** 2, 0.224 ** 2, 0.225 ** 2],\n"
     "    ),\n"
     "]\n"),
    # A lone generator argument takes no trailing comma (it would not parse).
    ("total = sum(weight_of_the_item(item, scale=scale_factor_value) for item in all_items_in_store)\n",
     "total = sum(\n"
     "    weight_of_the_item(item, scale=scale_factor_value) for item in all_items_in_store\n"
     ")\n"),
    # A call whose one argument is a list hugs it: the list hangs, ``])`` closes both.
    ("model = keras.Sequential([keras.layers.RandomFlip(), keras.layers.Rescaling(1 / 127.5, offset=-1), base])\n",
     "model = keras.Sequential([\n"
     "    keras.layers.RandomFlip(), keras.layers.Rescaling(1 / 127.5, offset=-1), base\n"
     "])\n"),
], ids=["hanging-default", "aligned-neighbour", "inside-hanging-list", "generator-argument", "hugged-list"])
def test_wrapping_follows_the_surrounding_style(text: str, expected: str) -> None:
    assert wrap_long_lines(text, 88) == expected
