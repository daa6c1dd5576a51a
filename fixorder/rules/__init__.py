"""The rule catalogue: one module per rule, each documented in its docstring.

Every rule module defines ``CODE``, ``NAME``, ``SUMMARY`` and ``check(ctx)``, which yields
``Finding``s for one analysed source unit.
"""

from __future__ import annotations

import importlib
from types import ModuleType

RULE_MODULES = {
    "FO101": "fixorder.rules.fo101_missing_preprocess_input",
    "FO102": "fixorder.rules.fo102_preprocess_before_augmentation",
    "FO103": "fixorder.rules.fo103_wrong_family_preprocess",
    "FO104": "fixorder.rules.fo104_double_scaling",
    "FO105": "fixorder.rules.fo105_rescale_before_builtin_preprocessing",
    "FO106": "fixorder.rules.fo106_builtin_preprocessing_disabled",
    "FO107": "fixorder.rules.fo107_preprocess_input_in_place",
}
# Codes reported by the engine itself, not by a rule module.
ENGINE_CODES = {"FO001": "parse-error"}


def load_rule(code: str) -> ModuleType:
    return importlib.import_module(RULE_MODULES[code])


def all_rules() -> list[ModuleType]:
    return [load_rule(code) for code in RULE_MODULES]
