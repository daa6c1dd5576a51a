"""Report writers: one function per --output-format."""

from __future__ import annotations

from fixorder.output import json_format, text

FORMATS = {
    "full": text.full,
    "concise": text.concise,
    "json": json_format.json_array,
    "json-lines": json_format.json_lines,
}
