"""``--output-format sarif``: SARIF 2.1.0, with rule metadata and fixes, for code-scanning services."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from fixorder import __version__
from fixorder.findings import Edit, Finding
from fixorder.output.rule_docs import rule_docs

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"


def _artifact(path: str) -> dict:
    """Relative paths are given against %SRCROOT% (the working directory), absolute ones as file URIs."""
    p = Path(path)
    if p.is_absolute():
        return {"uri": p.as_uri()}
    return {"uri": PurePosixPath(*p.parts).as_posix(), "uriBaseId": SRCROOT}


def _region(start_line: int, start_column: int, end_line: int, end_column: int) -> dict:
    return {"startLine": start_line, "startColumn": start_column, "endLine": end_line, "endColumn": end_column}


def _replacement(edit: Edit) -> dict:
    return {"deletedRegion": _region(edit.start_line, edit.start_column, edit.end_line, edit.end_column),
            "insertedContent": {"text": edit.content}}


def _result(f: Finding, rule_index: dict[str, int]) -> dict:
    location: dict = {"artifactLocation": _artifact(f.path)}
    properties: dict = {k: v for k, v in (("backbone", f.backbone), ("module", f.module),
                                          ("expects", f.expects)) if v is not None}
    if f.cell is None:
        location["region"] = _region(f.line, f.column, f.end_line, f.end_column)
    else:
        # Lines inside a notebook cell are not lines of the .ipynb JSON, so no region is claimed.
        properties.update(cell=f.cell, cellLine=f.line, cellColumn=f.column)
    result: dict = {
        "ruleId": f.code,
        "level": "error",
        "message": {"text": f.message},
        "locations": [{"physicalLocation": location}],
    }
    if f.code in rule_index:
        result["ruleIndex"] = rule_index[f.code]
    if f.fix is not None:
        properties["fixApplicability"] = f.fix.applicability
        if f.fix.edits and f.cell is None:
            result["fixes"] = [{
                "description": {"text": f.fix.description},
                "artifactChanges": [{"artifactLocation": _artifact(f.path),
                                     "replacements": [_replacement(e) for e in f.fix.edits]}],
            }]
    if properties:
        result["properties"] = properties
    return result


def _rule(doc) -> dict:
    return {
        "id": doc.code,
        "name": doc.name,
        "shortDescription": {"text": doc.summary},
        "fullDescription": {"text": doc.what_it_does},
        "help": {"text": doc.markdown or doc.summary, "markdown": doc.markdown or doc.summary},
        "defaultConfiguration": {"level": "error"},
    }


def sarif(findings: list[Finding], sources: dict[str, str]) -> str:
    docs = rule_docs()
    rule_index = {doc.code: i for i, doc in enumerate(docs)}
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "fixorder", "version": __version__, "semanticVersion": __version__,
                                "rules": [_rule(doc) for doc in docs]}},
            "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().as_uri() + "/"}},
            # libcst columns count code points, not UTF-16 units.
            "columnKind": "unicodeCodePoints",
            "results": [_result(f, rule_index) for f in findings],
        }],
    }
    return json.dumps(log, indent=2) + "\n"
