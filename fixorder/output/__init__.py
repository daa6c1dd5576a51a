"""Report writers: one function per --output-format.

A run imports only the writer it prints with: the SARIF and JUnit writers pull in the rule
documentation and xml.etree, which a ``concise`` run in a pre-commit hook has no use for.
"""

from __future__ import annotations

import importlib
from typing import Callable

# --output-format name -> (module under fixorder.output, function)
FORMATS = {
    "full": ("text", "full"),
    "concise": ("text", "concise"),
    "json": ("json_format", "json_array"),
    "json-lines": ("json_format", "json_lines"),
    "sarif": ("sarif", "sarif"),
    "github": ("github", "github"),
    "junit": ("junit", "junit"),
}


def formatter(name: str) -> Callable:
    """The report function for an --output-format name (KeyError for an unknown one)."""
    module, function = FORMATS[name]
    return getattr(importlib.import_module(f"fixorder.output.{module}"), function)
