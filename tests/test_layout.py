"""The folder layout shows the flow, and imports point down (README "Layout").

``fixorder/inputs`` is what a run reads; ``fixorder/run`` is the one guarded path that checks
and fixes units.  An import from inputs into run (or from either into the front ends above
them) would make the layering a fiction, so this test reads every import, lazy ones included.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "fixorder"

# Each layer may import only what is below it (and itself).
FORBIDDEN = {
    "inputs": ("fixorder.run", "fixorder.cli", "fixorder.server", "fixorder.batch", "fixorder.verify",
               "fixorder.output"),
    "run": ("fixorder.cli", "fixorder.server", "fixorder.batch", "fixorder.watch", "fixorder.noqa"),
    "analysis": ("fixorder.run", "fixorder.inputs", "fixorder.rules", "fixorder.cli", "fixorder.output"),
    "rules": ("fixorder.run", "fixorder.inputs.files", "fixorder.inputs.discovery", "fixorder.cli",
              "fixorder.output"),
}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_imports_point_down(layer):
    modules = sorted((PACKAGE / layer).rglob("*.py"))
    assert modules, f"fixorder/{layer} has no modules"
    wrong = [f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}"
             for path in modules for line, name in imported_modules(path)
             if any(name == banned or name.startswith(banned + ".") for banned in FORBIDDEN[layer])]
    assert wrong == []


def test_no_loose_pipeline_modules_at_the_top():
    """The run machinery lives in inputs/ and run/; the top holds the CLI and shared records."""
    top = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert top == ["__init__", "__main__", "cli", "findings", "noqa", "watch"]
