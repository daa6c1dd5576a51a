"""``--output-format junit``: JUnit XML (one test suite per file, one failing test case per finding)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from fixorder.findings import Finding


def _xml_text(path: str) -> str:
    """A file name as XML can carry it: bytes that are not UTF-8 (kept by Python as surrogate
    escapes) and control characters other than tab and newline become ``\\xNN``."""
    text = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(f"\\x{ord(c):02x}" if ord(c) < 32 and c not in "\t\n" or c == "\x7f" else c for c in text)


def junit(findings: list[Finding], sources: dict[str, str]) -> str:
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_path[f.path].append(f)
    paths = sorted(set(sources) | set(by_path))
    # A file without findings is one passing test case, so a clean run still shows what was checked.
    tests = sum(max(1, len(by_path[p])) for p in paths)
    root = ET.Element("testsuites", name="fixorder", tests=str(tests), failures=str(len(findings)), errors="0")
    for key in paths:
        found, path = by_path[key], _xml_text(key)
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
