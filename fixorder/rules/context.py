"""What a rule sees of one source unit."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import CodeRange

from fixorder.analysis.interpreter import Analysis
from fixorder.analysis.source_map import SourceMap
from fixorder.analysis.values import AUGMENT, PREPROCESS, Pipeline, Stage
from fixorder.catalog import Catalog
from fixorder.findings import Finding


@dataclass
class RuleContext:
    path: str
    module: cst.Module
    analysis: Analysis
    catalog: Catalog
    positions: SourceMap  # node -> CodeRange, and each node's parent
    strategy: str = "insert"
    findings: list[Finding] = field(default_factory=list)

    @property
    def source(self) -> str:
        """The module's text (the parsed text itself: libcst would render it on every ``.code``)."""
        return self.positions.source

    def range_of(self, node: cst.CSTNode) -> CodeRange:
        return self.positions[node]

    def finding(self, node: cst.CSTNode, code: str, name: str, message: str, **extra) -> Finding:
        r = self.range_of(node)
        return Finding(self.path, r.start.line, r.start.column + 1, r.end.line, r.end.column + 1,
                       code, name, message, **extra)

    def contract_text(self, contract: str) -> str:
        return self.catalog.contracts[contract].description


def group_by_entry(pipelines: list[Pipeline]) -> list[list[Pipeline]]:
    """Pipelines that meet their backbone at the same place, in source order of discovery."""
    groups: dict[int, list[Pipeline]] = {}
    for p in pipelines:
        key = id(p.entry.node) if p.entry.node is not None else id(p.node)
        groups.setdefault(key, []).append(p)
    return list(groups.values())


def describe_stages(stages: tuple[Stage, ...]) -> str:
    labels = [s.label for s in stages if s.kind == AUGMENT]
    return ", ".join(dict.fromkeys(labels))


def has_kind(stages: tuple[Stage, ...], *kinds: str) -> bool:
    return any(s.kind in kinds for s in stages)


def preprocess_stages(stages: tuple[Stage, ...]) -> list[Stage]:
    return [s for s in stages if s.kind == PREPROCESS]
