"""``fixorder batch --verify``: run ``fixorder verify`` on the pipelines each repository links.

Only files in which the static analysis links data to a pretrained backbone are run (each
pipeline as its slice, in its own sandboxed child process, as ``fixorder verify`` does); the
results go into the repository's record.  The sandbox is required unless the batch was started
with ``--no-require-sandbox``: a batch runs code from many repositories nobody read.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from fixorder.batch.model import BatchError

RESULT_KEYS = ("path", "cell", "line", "backbone", "verdict", "reason", "isolation")


def _linked(path: Path) -> bool:
    """Does the static analysis link data to a pretrained backbone in this file?"""
    from fixorder.verify.runner import _python_source
    from fixorder.verify.slicing import pipeline_slices

    try:
        text, _ = _python_source(path)
        slices, _, _ = pipeline_slices(text)
    except Exception:  # a file the analysis cannot read is reported by the scan, not here
        return False
    return any(s.linked for s in slices)


def verify_repo(repo: Path, files: list[str], require_sandbox: bool, timeout: float) -> tuple[list[dict], dict]:
    """The verify results of the linked pipelines in ``files`` (paths relative to ``repo``), and
    their counts per verdict."""
    from fixorder.verify.runner import verify_script
    from fixorder.verify.sandbox import SandboxRequired

    rows: list[dict] = []
    for rel in files:
        path = repo / rel
        if path.suffix not in (".py", ".ipynb") or not _linked(path):
            continue
        try:
            results = verify_script(path, timeout=timeout, display_path=rel, require_sandbox=require_sandbox)
        except SandboxRequired as exc:
            raise BatchError(f"verify: {exc} (use --no-require-sandbox to run it not isolated)") from exc
        for r in results:
            if any(n.startswith("pipeline mode:") and "(not linked to data" not in n for n in r.notes):
                data = r.to_json()
                rows.append({key: data[key] for key in RESULT_KEYS})
    return rows, dict(sorted(Counter(r["verdict"] for r in rows).items()))
