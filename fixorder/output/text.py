"""Human-readable reports: ``full`` (with source context and fix) and ``concise``."""

from __future__ import annotations

from fixorder.findings import SAFE, UNSAFE, Finding


def _paint(color: bool):
    """A styling function: ANSI colours (as ruff uses them) when ``color``, else the text as is."""
    if not color:
        return lambda text, **style: text
    import click

    return click.style


def _marker(f: Finding) -> str:
    if f.applicable_fix == SAFE:
        return " [*]"
    if f.applicable_fix == UNSAFE:
        return " [-]"
    return ""


def _location(f: Finding) -> str:
    cell = f":cell {f.cell}" if f.cell is not None else ""
    return f"{f.path}{cell}:{f.line}:{f.column}"


def _head(f: Finding, paint) -> str:
    return (f"{paint(_location(f), bold=True)}: {paint(f.code, fg='red', bold=True)}"
            f"{paint(_marker(f), fg='cyan')} {f.message}\n")


def concise(findings: list[Finding], sources: dict[str, str], color: bool = False) -> str:
    paint = _paint(color)
    return "".join(_head(f, paint) for f in findings)


def full(findings: list[Finding], sources: dict[str, str], color: bool = False) -> str:
    paint = _paint(color)
    out = []
    for f in findings:
        out.append(_head(f, paint))
        lines = (sources.get(f.path) or "").splitlines()
        if f.cell is not None:  # a notebook: its source is the joined program, quote the cell
            from fixorder.inputs.notebooks import cell_lines

            lines = cell_lines(sources.get(f.path) or "", f.cell)
        if 0 < f.line <= len(lines):
            width = len(str(f.end_line))
            pad = " " * width
            out.append(f"{pad} |\n")
            for number in range(f.line, min(f.end_line, f.line + 4) + 1):
                if number > len(lines):
                    break
                out.append(f"{number:>{width}} | {lines[number - 1]}\n")
            if f.end_line == f.line:
                span = max(1, f.end_column - f.column)
                out.append(f"{pad} | {' ' * (f.column - 1)}{paint('^' * span + ' ' + f.code, fg='red')}\n")
            out.append(f"{pad} |\n")
        if f.fix is not None:
            label = {"safe": "fix", "unsafe": "unsafe fix", "display-only": "suggestion"}[f.fix.applicability]
            out.append(f"  = {label}: {f.fix.description}\n")
            for edit in f.fix.edits:
                # Edits replace whole lines: show the replaced lines, then their replacement.
                for number in range(edit.start_line, edit.end_line):
                    if 0 < number <= len(lines):
                        out.append(paint(f"  - {lines[number - 1]}", fg="red") + "\n")
                for line in edit.content.splitlines():
                    out.append(paint(f"  + {line}", fg="green") + "\n")
        out.append("\n")
    return "".join(out)
