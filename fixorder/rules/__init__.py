"""The rule catalogue: one module per rule, each documented in its docstring.

Every rule module defines ``CODE``, ``NAME``, ``SUMMARY`` and ``check(ctx)``, which yields
``Finding``s for one analysed source unit.
"""

from __future__ import annotations

import importlib
from types import ModuleType

RULE_MODULES = {
    "FO101": "fixorder.rules.fo101_missing_preprocess_input",
}
# Codes reported by the engine itself, not by a rule module.
ENGINE_CODES = {"FO001": "parse-error"}


def load_rule(code: str) -> ModuleType:
    return importlib.import_module(RULE_MODULES[code])


def all_rules() -> list[ModuleType]:
    return [load_rule(code) for code in RULE_MODULES]
