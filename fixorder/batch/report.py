"""The batch report (report.json), written after every repository so a stopped run loses nothing."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from fixorder.batch.model import InputError


class Report:
    """``{"repositories": {spec: outcome record}}``, saved atomically after each record."""

    def __init__(self, path: Path | None):
        self.path = path
        self.repositories: dict[str, dict] = {}
        if path is not None and path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise InputError(f"{path}: cannot read the report: {exc}") from exc
            if not isinstance(data, dict) or not isinstance(data.get("repositories"), dict):
                raise InputError(f"{path}: not a fixorder batch report")
            self.repositories = data["repositories"]

    def record(self, record: dict) -> None:
        self.repositories[record["path"]] = record
        self.save()

    def save(self) -> None:
        if self.path is None:
            return
        # Sorted keys: the same repositories give the same file whatever order they finished in.
        text = json.dumps({"repositories": dict(sorted(self.repositories.items()))}, indent=2) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, self.path)
        except BaseException:
            os.unlink(tmp)
            raise
