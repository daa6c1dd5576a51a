"""The corpus miss shapes (benchmarks/corpus/shapes/) and the verdict on their line 1.

Each script there reduces a real corpus file that fixorder gets wrong today. They run as strict
xfails: when a fix makes a shape get its verdict, this test fails until the xfail mark for that
shape is removed (move the name to FIXED).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fixorder.run.engine import Options, check_source

SHAPES = Path(__file__).resolve().parents[1] / "benchmarks" / "corpus" / "shapes"
MISSED = sorted(p.stem for p in SHAPES.glob("*.py"))
FIXED: list[str] = ["keras_preprocessing_package_import", "opencv_ops_outside_catalog", "pil_imageenhance_augmentation",
                    "preallocated_array_filled_by_index", "stack_list_of_loaded_images", "video_capture_frames"]


def expected_codes(first_line: str) -> set[str]:
    """The codes the verdict names before its explanation: ``FO101 (...)`` -> {FO101}."""
    verdict = first_line.split("expected:", 1)[1]
    head = re.split(r"[(.]", verdict, maxsplit=1)[0]
    return set(re.findall(r"FO\d{3}", head))


def codes_of(name: str) -> tuple[set[str], set[str]]:
    path = SHAPES / f"{name}.py"
    source = path.read_text()
    result = check_source(path.name, source, Options())
    assert result.error is None and result.warning is None
    return {f.code for f in result.findings}, expected_codes(source.splitlines()[0])


def test_every_shape_states_a_verdict_and_is_documented() -> None:
    readme = (SHAPES / "README.md").read_text()
    assert MISSED
    for name in MISSED:
        first = (SHAPES / f"{name}.py").read_text().splitlines()[0]
        assert first.startswith("# expected: ") and expected_codes(first), name
        assert f"`{name}.py`" in readme, name


_NOT_FIXED = pytest.mark.xfail(strict=True, reason="a corpus miss not fixed yet (benchmarks/corpus/shapes/README.md)")


@pytest.mark.parametrize("name", [n if n in FIXED else pytest.param(n, marks=_NOT_FIXED) for n in MISSED])
def test_shape_gets_its_verdict(name: str) -> None:
    got, expected = codes_of(name)
    assert got == expected


def test_fixed_names_are_shapes() -> None:
    assert set(FIXED) <= set(MISSED), set(FIXED) - set(MISSED)
