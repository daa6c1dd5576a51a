"""Notebooks under verify: the code cells joined into one script (magics and shell lines masked).

Lines in the joined script map back to (cell index, line in cell), both 1-based, the cell index
counting all cells as fixorder's static report does.
"""

from __future__ import annotations

import json
import re

# ``files = !ls data`` and ``t = %timeit -o f()``: IPython assigns the command's output.
_ASSIGNED_ESCAPE = re.compile(r"^(\s*)([A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*)\s*=\s*[!%]")
PYTHON_CELL_MAGICS = frozenset({"%%time", "%%timeit", "%%capture", "%%prun", "%%debug"})


def notebook_to_script(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Return the joined script and, per script line (index 0 = line 1), its (cell, line)."""
    nb = json.loads(text)
    out: list[str] = []
    where: list[tuple[int, int]] = []
    for ci, cell in enumerate(nb.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        if isinstance(src, list):
            src = "".join(src)
        lines = _without_leading_indent(src.splitlines())
        first = lines[0].lstrip() if lines else ""
        # A cell magic that runs its body as Python keeps the body; others (%%bash, %%writefile,
        # %%html, ...) are masked whole.
        in_cell_magic = first.startswith("%%") and first.split()[0] not in PYTHON_CELL_MAGICS
        for li, line in enumerate(lines, start=1):
            stripped = line.lstrip()
            assigned = _ASSIGNED_ESCAPE.match(line)
            if assigned and not in_cell_magic:
                line = f"{assigned.group(1)}{assigned.group(2)} = []  # masked by fixorder verify: {stripped}"
            elif in_cell_magic or stripped.startswith(("%", "!")) or stripped.endswith("?"):
                indent = line[: len(line) - len(stripped)]
                line = f"{indent}pass  # masked by fixorder verify: {stripped}"
            out.append(line)
            where.append((ci, li))
        out.append("")
        where.append((ci, len(lines) + 1))
    return "\n".join(out) + "\n", where


def _without_leading_indent(lines: list[str]) -> list[str]:
    """IPython runs a cell whose first line is indented with that indentation removed from every
    line (its leading_indent transform); a cell pasted from inside a function runs as code."""
    first = next((ln for ln in lines if ln.strip()), "")
    indent = first[: len(first) - len(first.lstrip())]
    if not indent or not all(ln.startswith(indent) for ln in lines if ln.strip()):
        return lines
    return [ln[len(indent):] if ln.strip() else ln for ln in lines]


def is_notebook(path) -> bool:
    return str(path).endswith(".ipynb")
