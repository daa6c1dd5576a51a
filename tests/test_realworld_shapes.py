"""The shared realworld-shapes scripts get the verdict written on their line 1.

The scripts live outside the repository (``../shared/realworld-shapes`` beside the clone, as
CI lays it out); each is a reduced real-code construct.  The table below is the verdict of
line 1, by hand: the codes expected, in order of position (a code repeated once per finding).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fixorder.engine import Options, check_source

ROOT = Path(__file__).resolve().parents[1]
CANDIDATES = (ROOT.parent / "shared" / "realworld-shapes", Path("/work/shared/realworld-shapes"))
SHAPES = next((p for p in CANDIDATES if p.is_dir()), None)

EXPECTED = {
    "eager_probe_builds_head_wrong_family.py": ["FO103"],
    "eager_probe_separate_explorer_backbone.py": [],
    "eager_shape_probe_raw_batch.py": [],
}


@pytest.mark.skipif(SHAPES is None, reason="shared/realworld-shapes is not beside this checkout")
@pytest.mark.parametrize("script", sorted(EXPECTED))
def test_realworld_shape_verdict(script: str) -> None:
    path = SHAPES / script
    result = check_source(path.name, path.read_text(encoding="utf-8"), Options())
    assert result.error is None
    assert [f.code for f in result.findings] == EXPECTED[script]
