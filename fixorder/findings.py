"""Findings and fix plans: what the rules produce and the output layer prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SAFE = "safe"
UNSAFE = "unsafe"
DISPLAY_ONLY = "display-only"


@dataclass
class Edit:
    """Replace the text between two 1-based (line, column) positions with ``content``."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int
    content: str

    def to_json(self) -> dict[str, Any]:
        return {
            "start": {"line": self.start_line, "column": self.start_column},
            "end": {"line": self.end_line, "column": self.end_column},
            "content": self.content,
        }


@dataclass
class Fix:
    applicability: str  # SAFE, UNSAFE or DISPLAY_ONLY
    strategy: str  # "insert", "fold", "move", "remove", ...
    description: str
    # The codemod action (an object of codemods.actions) that performs the change.
    action: Any = field(default=None, repr=False, compare=False)
    edits: list[Edit] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "applicability": self.applicability,
            "strategy": self.strategy,
            "description": self.description,
            "edits": [e.to_json() for e in self.edits],
        }


@dataclass
class Finding:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    name: str
    message: str
    backbone: str | None = None
    module: str | None = None
    expects: str | None = None
    cell: int | None = None
    fix: Fix | None = None

    @property
    def applicable_fix(self) -> str | None:
        """SAFE or UNSAFE when the finding carries a fix that can be applied, else None."""
        if self.fix is not None and self.fix.action is not None and self.fix.applicability in (SAFE, UNSAFE):
            return self.fix.applicability
        return None

    def sort_key(self) -> tuple:
        return (self.path, self.cell or 0, self.line, self.column, self.code)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "name": self.name,
            "message": self.message,
            "backbone": self.backbone,
            "module": self.module,
            "expects": self.expects,
            "cell": self.cell,
            "fix": self.fix.to_json() if self.fix else None,
        }
