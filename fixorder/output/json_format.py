"""``--output-format json`` (one array) and ``json-lines`` (one object per line)."""

from __future__ import annotations

import json

from fixorder.findings import Finding


def json_array(findings: list[Finding], sources: dict[str, str]) -> str:
    return json.dumps([f.to_json() for f in findings], indent=2) + "\n"


def json_lines(findings: list[Finding], sources: dict[str, str]) -> str:
    return "".join(json.dumps(f.to_json()) + "\n" for f in findings)
