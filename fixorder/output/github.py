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
        props = [f"file={_escape_property(f.path)}"]
        message = f.message
        if f.cell is None:
            props += [f"line={f.line}", f"col={f.column}", f"endLine={f.end_line}", f"endColumn={f.end_column}"]
        else:
            # A cell line is not a line of the .ipynb file: the annotation goes on the file, the
            # message says where in it.
            message = f"cell {f.cell}, line {f.line}, column {f.column}: {message}"
        props.append(f"title={_escape_property(f.code)}")
        out.append(f"::error {','.join(props)}::{_escape_data(message)}\n")
    return "".join(out)
