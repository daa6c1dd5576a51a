"""``--output-format junit``: JUnit XML (one test suite per file, one failing test case per finding)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from fixorder.findings import Finding


def junit(findings: list[Finding], sources: dict[str, str]) -> str:
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_path[f.path].append(f)
    paths = sorted(set(sources) | set(by_path))
    # A file without findings is one passing test case, so a clean run still shows what was checked.
    tests = sum(max(1, len(by_path[p])) for p in paths)
    root = ET.Element("testsuites", name="fixorder", tests=str(tests), failures=str(len(findings)), errors="0")
    for path in paths:
        found = by_path[path]
        suite = ET.SubElement(root, "testsuite", name=path, tests=str(max(1, len(found))),
                              failures=str(len(found)), errors="0", skipped="0")
        if not found:
            ET.SubElement(suite, "testcase", name="fixorder", classname=path)
            continue
        for f in found:
            where = f"cell {f.cell}, line {f.line}" if f.cell is not None else f"line {f.line}"
            case = ET.SubElement(suite, "testcase", name=f"{f.code} {where}, column {f.column}",
                                 classname=path, file=path, line=str(f.line))
            failure = ET.SubElement(case, "failure", message=f.message, type=f.code)
            failure.text = f"{path}:{where}, column {f.column}: {f.code} ({f.name}) {f.message}"
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
