"""``--output-format github``: GitHub Actions workflow commands, shown as annotations on the diff."""

from __future__ import annotations

from fixorder.findings import Finding


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(findings: list[Finding], sources: dict[str, str]) -> str:
    out = []
    for f in findings:
        props = [f"title={_escape_property(f'fixorder ({f.code})')}", f"file={_escape_property(f.path)}"]
        if f.cell is None:
            props += [f"line={f.line}", f"col={f.column}", f"endLine={f.end_line}", f"endColumn={f.end_column}"]
            where = f"{f.path}:{f.line}:{f.column}"
        else:
            # A cell line is not a line of the .ipynb file; the annotation is attached to the file.
            where = f"{f.path}:cell {f.cell}:{f.line}:{f.column}"
        out.append(f"::error {','.join(props)}::{_escape_data(f'{where}: {f.code} {f.message}')}\n")
    return "".join(out)
