"""Report writers: one function per --output-format."""

from __future__ import annotations

from fixorder.output import github, json_format, junit, sarif, text

FORMATS = {
    "full": text.full,
    "concise": text.concise,
    "json": json_format.json_array,
    "json-lines": json_format.json_lines,
    "sarif": sarif.sarif,
    "github": github.github,
    "junit": junit.junit,
}
