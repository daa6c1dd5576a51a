"""The effective options of a run, kept apart from the engine so that reading them (the CLI,
the cache key) does not import libcst: a run where no file passes the pre-filter never does."""

from __future__ import annotations

from dataclasses import dataclass

from fixorder.rules import RULE_MODULES


@dataclass
class Options:
    select: frozenset[str] = frozenset(RULE_MODULES)
    strategy: str = "insert"
    unsafe_fixes: bool = False
