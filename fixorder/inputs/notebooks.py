"""Source units: a notebook's code cells joined into one program, with IPython syntax masked.

All code cells of a notebook are analysed together (a model built in cell 3 and trained in
cell 9 is one pipeline).  Each cell is preceded by a marker comment so the program can be split
back into cells after fixing.  IPython magics and shell escapes (``%``, ``%%``, ``!``, ``?``) are
replaced by a ``pass`` placeholder that keeps the line's indentation, so they are never parsed
as Python; so are lines IPython's automagic runs as magics (``cd data``, ``pip install x``:
AUTOMAGIC).  A cell indented as a whole loses that indentation, as IPython strips it.  On
write-back every placeholder gets its original line back (and an indented cell its
indentation), and only cells whose code changed are rewritten.  Outputs, metadata, key order, JSON indentation and the trailing
newline are kept.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field

from fixorder.findings import Finding


MARKER = "# fixorder-cell {}"
_MARKER = re.compile(r"^# fixorder-cell (\d+)$", re.MULTILINE)
_PLACEHOLDER = "pass  # fixorder-magic {}"
_PLACEHOLDER_LINE = re.compile(r"^[ \t]*pass  # fixorder-magic (\d+)$")
# Cell magics whose body is Python that IPython runs as such; any other cell magic (%%bash,
# %%writefile, %%html ...) makes the cell something else, and it is left out of the program.
PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun", "debug", "tensorflow_version"}
_HELP = re.compile(r"^\s*(\?{1,2}\s*\S.*|[A-Za-z_][\w.]*(\(\))?\s*\?{1,2})\s*$")


class NotebookError(Exception):
    """A notebook that cannot be read or written back; the message is the reason."""


@dataclass
class Cell:
    number: int  # 1-based among all cells, markdown included
    source: str  # the cell's code as in the notebook
    masked: str  # the code with IPython syntax replaced by placeholders
    magic_lines: dict[int, str]  # placeholder number -> original line
    start: int = 0  # first line of the cell's code in the program (1-based)
    line_count: int = 0
    indent: str = ""  # the whole cell's leading indentation, removed as IPython does (leading_indent)


@dataclass
class UnparsableCell:
    """A code cell that is not valid Python on its own: Jupyter compiles each cell separately,
    so running it raises SyntaxError and defines nothing, while the other cells still run."""

    number: int
    source: str
    line: int  # the syntax error's position within the cell (1-based)
    column: int
    message: str

    @property
    def reason(self) -> str:
        return f"syntax error at cell {self.number}, line {self.line}, column {self.column}: {self.message}"


@dataclass
class Notebook:
    data: dict
    cells: list[Cell]
    program: str
    text: str  # the JSON as read
    unparsable: list[UnparsableCell] = field(default_factory=list)  # left out of ``program``

    @property
    def all_code(self) -> str:
        """The program and the cells left out of it: what the pre-filter reads, since a left-out
        cell is still reported where a pipeline could be."""
        return self.program + "".join(cell.source + "\n" for cell in self.unparsable)


_ASSIGNED_MAGIC = re.compile(r"^\s*[A-Za-z_][\w.]*(\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*[%!]")


# Line magics and shell aliases IPython runs without the ``%`` when automagic is on (the
# default): ``cd data/``, ``pip install x``, ``ls -la``.
AUTOMAGIC = frozenset({
    "alias", "bookmark", "cat", "cd", "clear", "conda", "cp", "dhist", "dirs", "env", "history", "ldir", "less",
    "lf", "lk", "ll", "load_ext", "ls", "lx", "mamba", "man", "matplotlib", "mkdir", "more", "mv", "pip", "popd",
    "pushd", "pwd", "pylab", "reset", "rm", "rmdir", "run", "sc", "sx", "system", "tensorflow_version", "who",
    "whos",
})
_AUTOMAGIC_LINE = re.compile(r"^[ \t]*([A-Za-z_]\w*)(?=$|[ \t/])(.*)$")


def _is_magic(line: str) -> bool:
    stripped = line.lstrip()
    return stripped.startswith(("%", "!")) or bool(_HELP.match(line) or _ASSIGNED_MAGIC.match(line)) \
        or _is_automagic(line)


def _is_automagic(line: str) -> bool:
    """``cd /data`` or ``pip install x`` without ``%``: a magic's name, then what Python cannot
    read (``ls`` alone, ``cd = 1`` or ``pip(...)`` are Python, as IPython also takes them)."""
    match = _AUTOMAGIC_LINE.match(line)
    if match is None or match.group(1) not in AUTOMAGIC:
        return False
    rest = match.group(2).lstrip()
    if not rest or (rest.startswith("=") and not rest.startswith("==")) or rest[0] in "([,:;":
        return False
    try:
        compile(line.strip(), "<cell>", "exec", dont_inherit=True)
    except SyntaxError:
        return True
    except (ValueError, RecursionError, MemoryError):
        return False
    return False


def leading_indent(source: str) -> str:
    """The indentation of a cell's first code line, which IPython removes from every line."""
    for line in source.split("\n"):
        if line.strip():
            return line[:len(line) - len(line.lstrip(" \t"))]
    return ""


def dedent(source: str, indent: str) -> str:
    if not indent:
        return source
    return "\n".join(line[len(indent):] if line.startswith(indent) else line for line in source.split("\n"))


def reindent(source: str, indent: str) -> str:
    if not indent:
        return source
    return "\n".join(indent + line if line.strip() else line for line in source.split("\n"))


def mask(source: str, first_number: int = 1) -> tuple[str, dict[int, str]]:
    """Replace each IPython-only line by a numbered ``pass`` placeholder at the same indentation.

    A line is IPython syntax only where a statement can start: not inside a string or brackets,
    not after a backslash continuation.  Lines continuing a magic with ``\\`` are masked too.
    """
    lines = source.split("\n")
    out: list[str] = []
    magic: dict[int, str] = {}
    number = first_number
    string: str | None = None  # the open quote (' " ''' \"\"\") of a string spanning lines
    depth = 0
    continued = False
    magic_continues = False
    for line in lines:
        if magic_continues or (string is None and depth == 0 and not continued and _is_magic(line)):
            # A continuation line gets the indentation of the placeholder it continues.
            indent = re.match(r"[ \t]*", out[-1] if magic_continues else line).group(0)
            magic[number] = line
            out.append(indent + _PLACEHOLDER.format(number))
            number += 1
            magic_continues = line.rstrip().endswith("\\")
            continue
        out.append(line)
        string, depth, continued = _scan(line, string, depth)
    return "\n".join(out), magic


def _scan(line: str, string: str | None, depth: int) -> tuple[str | None, int, bool]:
    """Carry string and bracket state across one line; returns it plus "ends with a backslash"."""
    i = 0
    n = len(line)
    while i < n:
        ch = line[i]
        if string is not None:
            if ch == "\\":
                i += 2
                continue
            if line.startswith(string, i):
                i += len(string)
                string = None
                continue
            i += 1
            continue
        if ch == "#":
            return None, depth, False
        if ch in "\"'":
            triple = line[i:i + 3]
            string = triple if triple in ('"""', "'''") else ch
            i += len(string)
            continue
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        i += 1
    continued = line.endswith("\\") and (string is None or len(string) == 1)
    if string is not None and len(string) == 1 and not line.endswith("\\"):
        string = None  # an unterminated one-line string: a syntax error the parser will report
    return string, depth, continued


def _cell_source(cell: dict, number: int) -> str:
    source = cell.get("source", "")
    if isinstance(source, str):
        return source
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    raise NotebookError(f'cell {number}: "source" is not a string or a list of strings')


def _python_cell(source: str) -> bool:
    first = source.lstrip("\n").split("\n", 1)[0].strip()
    if first.startswith("%%"):
        name = first[2:].split(None, 1)[0] if first[2:].strip() else ""
        return name in PYTHON_CELL_MAGICS
    return True


def load(text: str) -> Notebook:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"invalid notebook JSON at line {exc.lineno}, column {exc.colno - 1}: {exc.msg}") from exc
    except RecursionError as exc:
        raise NotebookError("notebook JSON nested too deeply to read") from exc
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise NotebookError("not a Jupyter notebook (no \"cells\" list)")
    cells: list[Cell] = []
    unparsable: list[UnparsableCell] = []
    placeholder_number = 1
    for number, cell in enumerate(data["cells"], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = _cell_source(cell, number)
        if not _python_cell(source):
            continue
        indent = leading_indent(source)
        masked, magic = mask(dedent(source, indent), placeholder_number)
        error = _syntax_error(masked)
        if error is not None:
            unparsable.append(UnparsableCell(number, source, *error))
            continue
        placeholder_number += len(magic)
        cells.append(Cell(number, source, masked, magic, indent=indent))
    program_lines: list[str] = []
    for cell in cells:
        program_lines.append(MARKER.format(cell.number))
        cell.start = len(program_lines) + 1
        body = cell.masked.split("\n")
        if cell.masked.endswith("\n"):
            body = body[:-1]
        cell.line_count = len(body)
        program_lines.extend(body)
    program = "\n".join(program_lines) + "\n" if program_lines else ""
    return Notebook(data, cells, program, text, unparsable)


def _syntax_error(code: str) -> tuple[int, int, str] | None:
    """(line, column, message) of the syntax error that stops this cell from running, or None.

    Only a SyntaxError leaves a cell out; code too deeply nested for the parser stays in the
    program, whose analysis reports it under the usual guards.
    """
    try:
        compile(code, "<cell>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as err:
        return err.lineno or 1, err.offset or 1, err.msg
    except (ValueError, RecursionError, MemoryError):
        return None
    return None


def non_python_kernel(data: dict) -> str | None:
    """Why a notebook whose kernel runs another language (R, Julia, Scala) is skipped, or None."""
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    spec = metadata.get("kernelspec") if isinstance(metadata.get("kernelspec"), dict) else {}
    info = metadata.get("language_info") if isinstance(metadata.get("language_info"), dict) else {}
    language = spec.get("language") or info.get("name")
    if isinstance(language, str) and language and not language.lower().startswith(("python", "ipython")):
        return f"not a Python notebook (kernel language: {language}); skipped"
    return None


def split_program(notebook: Notebook, program: str) -> dict[int, str]:
    """The masked code of every cell in a (fixed) program, by cell number."""
    markers = list(_MARKER.finditer(program))
    numbers = [int(m.group(1)) for m in markers]
    if numbers != [c.number for c in notebook.cells]:
        raise NotebookError("a fix moved code across cell boundaries; notebook not changed")
    out: dict[int, str] = {}
    for i, (match, cell) in enumerate(zip(markers, notebook.cells)):
        begin = match.end() + 1
        end = markers[i + 1].start() if i + 1 < len(markers) else len(program)
        body = program[begin:end]
        if i == 0 and markers[0].start() > 0:
            body = program[:markers[0].start()] + body  # code put before the first cell belongs to it
        if not cell.masked.endswith("\n") and body.endswith("\n"):
            body = body[:-1]
        out[cell.number] = body
    return out


def unmask(cell: Cell, masked: str) -> str:
    lines = masked.split("\n")
    restored = []
    seen = set()
    for line in lines:
        match = _PLACEHOLDER_LINE.match(line)
        if match and int(match.group(1)) in cell.magic_lines:
            number = int(match.group(1))
            seen.add(number)
            restored.append(cell.magic_lines[number])
        else:
            restored.append(line)
    if seen != set(cell.magic_lines):
        raise NotebookError(f"a fix removed an IPython line of cell {cell.number}; notebook not changed")
    return "\n".join(restored)


def locate(notebook: Notebook, line: int) -> tuple[Cell, int]:
    """The cell holding a program line, and the 1-based line inside it (clamped into the cell)."""
    for cell in reversed(notebook.cells):
        if line >= cell.start - 1:
            return cell, max(1, min(line - cell.start + 1, max(cell.line_count, 1)))
    first = notebook.cells[0]
    return first, 1


_PROGRAM_LINE = re.compile(r"\bline (\d+), column (\d+)")


def in_cell_terms(notebook: Notebook, reason: str | None) -> str | None:
    """A reason naming a line of the joined program ("line 57, column 3") names the cell instead."""
    match = _PROGRAM_LINE.search(reason or "")
    if not match or not notebook.cells:
        return reason
    cell, line = locate(notebook, int(match.group(1)))
    return reason[:match.start()] + f"cell {cell.number}, line {line}, column {match.group(2)}" + reason[match.end():]


def to_cells(notebook: Notebook, findings: list[Finding]) -> None:
    for f in findings:
        if not notebook.cells:
            continue
        cell, line = locate(notebook, f.line)
        shift = f.line - line
        f.cell = cell.number
        f.line = line
        f.end_line = max(line, f.end_line - shift)
        if f.fix is not None:
            for edit in f.fix.edits:
                edit.start_line -= shift
                edit.end_line -= shift


def cell_lines(program: str, cell_number: int) -> list[str]:
    """The lines of one cell's (masked) code in a program, for showing source context."""
    lines = program.splitlines()
    marker = MARKER.format(cell_number)
    if marker not in lines:
        return []
    start = lines.index(marker) + 1
    end = next((i for i in range(start, len(lines)) if _MARKER.match(lines[i])), len(lines))
    return lines[start:end]


def dump_like(data: dict, original: str) -> str:
    """Serialise ``data`` the way ``original`` was: same indentation, escaping, line endings
    (a notebook saved on Windows has CRLF) and final newline."""
    match = re.match(r"\{\r?\n([ \t]+)\"", original)
    indent: int | str | None = None
    if match:
        whitespace = match.group(1)
        indent = len(whitespace) if set(whitespace) == {" "} else whitespace
    ensure_ascii = original.isascii() and bool(re.search(r"\\u(00[89a-fA-F]|0[1-9a-fA-F]|[1-9a-fA-F])", original))
    text = json.dumps(data, indent=indent, ensure_ascii=ensure_ascii)
    if original.endswith("\n"):
        text += "\n"
    if "\r\n" in original:
        text = text.replace("\n", "\r\n")  # JSON strings escape their newlines: only layout changes
    return text
