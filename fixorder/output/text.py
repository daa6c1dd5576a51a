"""Human-readable reports: ``full`` (with source context and fix) and ``concise``."""

from __future__ import annotations

from fixorder.findings import SAFE, UNSAFE, Finding


def _marker(f: Finding) -> str:
    if f.applicable_fix == SAFE:
        return " [*]"
    if f.applicable_fix == UNSAFE:
        return " [-]"
    return ""


def _location(f: Finding) -> str:
    cell = f":cell {f.cell}" if f.cell is not None else ""
    return f"{f.path}{cell}:{f.line}:{f.column}"


def concise(findings: list[Finding], sources: dict[str, str]) -> str:
    return "".join(f"{_location(f)}: {f.code}{_marker(f)} {f.message}\n" for f in findings)


def full(findings: list[Finding], sources: dict[str, str]) -> str:
    out = []
    for f in findings:
        out.append(f"{_location(f)}: {f.code}{_marker(f)} {f.message}\n")
        lines = (sources.get(f.path) or "").splitlines()
        if f.cell is not None:  # a notebook: its source is the joined program, quote the cell
            from fixorder.sources import cell_lines

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
                out.append(f"{pad} | {' ' * (f.column - 1)}{'^' * span} {f.code}\n")
            out.append(f"{pad} |\n")
        if f.fix is not None:
            label = {"safe": "fix", "unsafe": "unsafe fix", "display-only": "suggestion"}[f.fix.applicability]
            out.append(f"  = {label}: {f.fix.description}\n")
            for edit in f.fix.edits:
                # Edits replace whole lines: show the replaced lines, then their replacement.
                for number in range(edit.start_line, edit.end_line):
                    if 0 < number <= len(lines):
                        out.append(f"  - {lines[number - 1]}\n")
                for line in edit.content.splitlines():
                    out.append(f"  + {line}\n")
        out.append("\n")
    return "".join(out)
