"""Rule metadata for reports, read from each rule module (its CODE, NAME, SUMMARY and docstring)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fixorder.rules import ENGINE_CODES, RULE_MODULES, load_rule

_SECTION = re.compile(r"^## (?P<title>.+)$", re.MULTILINE)


@dataclass(frozen=True)
class RuleDoc:
    code: str
    name: str
    summary: str
    what_it_does: str
    markdown: str  # the whole docstring below its title line


def section(markdown: str, title: str) -> str:
    """The text of one ``## title`` section of a rule docstring."""
    matches = list(_SECTION.finditer(markdown))
    for i, match in enumerate(matches):
        if match.group("title").strip().lower() == title.lower():
            end = matches[i + 1].start() if i + 1 < len(matches) else len(markdown)
            return markdown[match.end():end].strip()
    return ""


def rule_docs() -> list[RuleDoc]:
    """Every code fixorder can report, engine codes first, in code order."""
    docs = [RuleDoc(code, name, "the file could not be read or parsed",
                    "Reports a file that could not be read, decoded or parsed; nothing else is checked in it.",
                    "Reports a file that could not be read, decoded or parsed.")
            for code, name in sorted(ENGINE_CODES.items())]
    for code in sorted(RULE_MODULES):
        module = load_rule(code)
        text = (module.__doc__ or "").strip()
        body = text.split("\n", 1)[1].strip() if "\n" in text else ""
        docs.append(RuleDoc(code, module.NAME, module.SUMMARY, section(body, "What it does") or module.SUMMARY, body))
    return docs
