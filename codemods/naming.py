"""How a fix names what it inserts: reuse the file's own imports, never shadow a binding."""

from __future__ import annotations

from dataclasses import dataclass


from fixorder.analysis.interpreter import Analysis
from fixorder.analysis.source_map import SourceMap
from fixorder.analysis.values import BackboneUse


@dataclass(frozen=True)
class Reference:
    """Source text that names something, plus the import (module, name, alias) it needs."""

    code: str
    import_from: tuple[str, str, str | None] | None = None


class Namer:
    """Chooses references for one module; remembers names it already handed out."""

    def __init__(self, source_map: SourceMap, analysis: Analysis):
        self.source_map = source_map
        self.analysis = analysis
        self._taken: set[str] | None = None
        self.planned: dict[tuple[str, str], str] = {}
        self.folds: dict[tuple[int, str], str] = {}  # (augmentation, preprocess reference) -> function

    @property
    def taken(self) -> set[str]:
        """Names a fix must not introduce (computed on first need: most files need none)."""
        if self._taken is None:
            self._taken = set(self.source_map.names())
        return self._taken

    def _unique_import(self, imports: dict[str, str], qualified: str) -> str | None:
        for name, target in imports.items():
            if target == qualified and self.analysis.binding_counts.get(name, 0) == 1:
                return name
        return None

    def free_name(self, *candidates: str) -> str:
        for candidate in candidates:
            if candidate not in self.taken:
                return candidate
        base, n = candidates[-1], 2
        while f"{base}_{n}" in self.taken:
            n += 1
        return f"{base}_{n}"

    def import_name(self, module: str, name: str, *preferred: str) -> Reference:
        """``name`` imported from ``module`` under a free local name."""
        key = (module, name)
        if key in self.planned:
            local = self.planned[key]
        else:
            local = self.free_name(*preferred)
            self.taken.add(local)
            self.planned[key] = local
        return Reference(local, (module, name, None if local == name else local))

    # ----------------------------------------------------------- references
    def preprocess_input(self, use: BackboneUse, module_name: str) -> Reference:
        prefix = framework_prefix(use.qualified)
        imports = self.analysis.imports
        target_module = f"{prefix}.applications.{module_name}"
        existing = self._unique_import(imports, f"{target_module}.preprocess_input")
        if existing:
            return Reference(existing)
        alias = self._unique_import(imports, target_module)
        if alias:
            return Reference(f"{alias}.preprocess_input")
        dotted = self.dotted_from_root(prefix)
        if dotted is not None:
            return Reference(f"{dotted}.applications.{module_name}.preprocess_input")
        return self.import_name(target_module, "preprocess_input", "preprocess_input",
                                f"{module_name}_preprocess_input")

    def layer(self, use: BackboneUse, layer: str) -> Reference:
        prefix = framework_prefix(use.qualified)
        imports = self.analysis.imports
        existing = self._unique_import(imports, f"{prefix}.layers.{layer}")
        if existing:
            return Reference(existing)
        alias = self._unique_import(imports, f"{prefix}.layers")
        if alias:
            return Reference(f"{alias}.{layer}")
        dotted = self.dotted_from_root(prefix)
        if dotted is not None:
            return Reference(f"{dotted}.layers.{layer}")
        return self.import_name(f"{prefix}.layers", layer, layer)

    def dotted_from_root(self, prefix: str) -> str | None:
        """Spell ``prefix`` (e.g. ``tensorflow.keras``) through a module import the file has."""
        best: str | None = None
        for name, target in self.analysis.imports.items():
            if self.analysis.binding_counts.get(name, 0) != 1:
                continue
            if prefix == target:
                return name
            if prefix.startswith(target + "."):
                candidate = name + prefix[len(target):]
                if best is None or len(candidate) < len(best):
                    best = candidate
        return best


def framework_prefix(qualified: str) -> str:
    """``tensorflow.keras`` for ``tensorflow.keras.applications.mobilenet_v2.MobileNetV2``."""
    index = qualified.find(".applications.")
    prefix = qualified[:index] if index > 0 else "keras"
    return prefix[:-len(".src")] if prefix.endswith(".src") else prefix


def preprocess_module(use: BackboneUse) -> str:
    """The applications module whose preprocess_input matches the backbone.

    Keeps the user's own spelling where it names the backbone's module (``resnet50`` is an
    alias module of ``resnet`` in Keras).
    """
    parts = use.qualified.split(".")
    if "applications" in parts:
        i = parts.index("applications")
        if len(parts) - i == 3 and parts[i + 1] in ("resnet50", use.catalog.module):
            return parts[i + 1]
    return use.catalog.module
