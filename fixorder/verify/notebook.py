"""Notebooks under verify: the code cells joined into one script (magics and shell lines masked).

Lines in the joined script map back to (cell index, line in cell), both 1-based, the cell index
counting all cells as fixorder's static report does.
"""

from __future__ import annotations

import ast
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
        start = len(out) - len(lines)
        out[start:] = _compilable(out[start:])
        out.append("")
        where.append((ci, len(lines) + 1))
    return "\n".join(out) + "\n", where


MAX_MASKED_LINES = 5
# IPython runs these line magics without their ``%`` (automagic): ``cd data``, ``pip install x``.
# Those that are no Python name a script would use are masked even where the line parses
# (``cd /data/train`` is a division in Python); the others only when the line does not parse.
SHELL_AUTOMAGICS = frozenset({"cd", "pip", "conda", "ls", "pwd", "mkdir", "rm", "cp", "mv", "cat",
                              "load_ext", "pushd", "popd", "dhist", "bookmark", "pylab", "autoreload"})
AUTOMAGICS = SHELL_AUTOMAGICS | {"env", "matplotlib", "less", "more", "man", "clear", "alias", "unalias",
                                 "reset", "who", "whos", "history", "time", "timeit", "run", "store",
                                 "config", "precision", "aimport"}
_FIRST_WORD = re.compile(r"^\s*([A-Za-z_]+)(?=[\s/.~]|$)")
_SHELL_LINE = re.compile(r"^\s*([a-z_]+)(?:$|\s*[/~]|\s+(?![=(\[.+*%&|^<>!-]|-=))")


def _compilable(lines: list[str]) -> list[str]:
    """An automagic line (``cd dir``, ``pip install x``) runs in IPython and is masked like a
    ``%`` magic; any other cell that does not compile fails alone in Jupyter, and the notebook goes
    on: the whole cell is masked (HTML pasted into a code cell, Python 2 syntax)."""
    original, lines = lines, list(lines)
    for n, line in enumerate(lines):
        shell = _SHELL_LINE.match(line)
        if shell and shell.group(1) in SHELL_AUTOMAGICS:
            stripped = line.lstrip()
            lines[n] = f"{line[: len(line) - len(stripped)]}pass  # masked by fixorder verify (automagic): {stripped}"
    for _ in range(MAX_MASKED_LINES + 1):
        try:
            compile("\n".join(lines) + "\n", "<cell>", "exec", dont_inherit=True, flags=ast.PyCF_ONLY_AST)
            return lines
        except SyntaxError as exc:
            n = (exc.lineno or 0) - 1
            word = _FIRST_WORD.match(lines[n]) if 0 <= n < len(lines) else None
            if word is None or word.group(1) not in AUTOMAGICS:
                break
            stripped = lines[n].lstrip()
            lines[n] = f"{lines[n][: len(lines[n]) - len(stripped)]}pass  # masked by fixorder verify (automagic): {stripped}"
        except (ValueError, OverflowError):
            break
    return [f"pass  # masked by fixorder verify (the cell does not parse): {ln.strip()}" if ln.strip() else ln
            for ln in original]


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
