"""Which Keras a script was written for: Keras 2 APIs (keras2_only.json) mean it runs under tf_keras.

``--keras auto`` (the default) verifies a script that uses an API only Keras 2 has with ``keras``
resolved to tf_keras and ``TF_USE_LEGACY_KERAS=1``; ``--keras 2`` / ``--keras 3`` force it.
Detection reads the source with :mod:`ast` (no execution): imported module and attribute names,
with import aliases resolved (``from tensorflow.keras import layers`` then
``layers.experimental.preprocessing``), and calls of Keras-2-only methods such as ``fit_generator``.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CHOICES = ("auto", "2", "3")


@dataclass(frozen=True)
class KerasChoice:
    major: int                 # 2: tf_keras; 3: Keras 3 (the installed keras)
    evidence: tuple[str, ...]  # why, for the report's notes ("line 3: keras.layers.core: ...")

    def note(self) -> str | None:
        if self.major != 2:
            return None
        why = "; ".join(self.evidence) if self.evidence else "--keras 2"
        return f"ran under Keras 2 (keras resolved to tf_keras, TF_USE_LEGACY_KERAS=1): {why}"


@lru_cache(maxsize=1)
def _table() -> dict:
    return json.loads((Path(__file__).parent / "keras2_only.json").read_text(encoding="utf-8"))


def dotted(node: ast.AST) -> str | None:
    """``a.b.c`` for a Name/Attribute chain in an ``ast`` tree, None otherwise."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _names(tree: ast.AST):
    """(line, fully qualified dotted name) for imports and attribute chains; method names called."""
    aliases: dict[str, str] = {}
    found: list[tuple[int, str]] = []
    methods: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                found.append((node.lineno, a.name))
                if a.asname:
                    aliases[a.asname] = a.name
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
            for a in node.names:
                full = f"{node.module}.{a.name}"
                found.append((node.lineno, full))
                aliases[a.asname or a.name] = full
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            methods.append((node.lineno, node.func.attr))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            name = dotted(node)
            if name:
                head, _, rest = name.partition(".")
                if head in aliases:
                    name = aliases[head] + ("." + rest if rest else "")
                found.append((node.lineno, name))
    return found, methods


def _relative(name: str, roots: list[str]) -> str | None:
    for root in sorted(roots, key=len, reverse=True):
        if name == root:
            return ""
        if name.startswith(root + "."):
            return name[len(root) + 1:]
    return None


def keras2_evidence(source: str) -> tuple[str, ...]:
    """Why ``source`` needs Keras 2 (empty: nothing Keras-2-only found, or it does not parse)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return ()
    table = _table()
    found, methods = _names(tree)
    out: list[str] = []
    seen: set[str] = set()
    for line, name in sorted(found):
        rel = _relative(name, table["keras_roots"])
        if rel is None:
            continue
        for marker, why in table["names"].items():
            if (rel == marker or rel.startswith(marker + ".")) and marker not in seen:
                seen.add(marker)
                out.append(f"line {line}: {name}: {why}")
    for line, method in sorted(methods):
        why = table["methods"].get(method)
        if why and method not in seen:
            seen.add(method)
            out.append(f"line {line}: .{method}(): {why}")
    return tuple(out)


def choose(source: str, requested: str = "auto") -> KerasChoice:
    if requested not in CHOICES:
        raise ValueError(f"--keras must be one of {', '.join(CHOICES)}, not {requested!r}")
    if requested == "2":
        return KerasChoice(2, ("--keras 2",))
    if requested == "3":
        return KerasChoice(3, ())
    evidence = keras2_evidence(source)
    return KerasChoice(2 if evidence else 3, evidence)
