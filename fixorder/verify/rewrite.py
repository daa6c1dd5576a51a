"""``--fix --verify``: decide whether a rewrite of one script is kept."""

from __future__ import annotations

import os
import tempfile

from fixorder.verify.notebook import is_notebook
from fixorder.verify.results import FAIL, PASS, VerifyResult
from fixorder.verify.runner import DEFAULT_TIMEOUT, verify_script


def _verify_text(path: str, text: str, timeout: float) -> list[VerifyResult]:
    """Verify ``text`` as if it were the script at ``path``: it runs from a temporary copy, with
    ``path``'s directory first on sys.path and reports naming ``path``; the user's file is not touched."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="fixorder-verify-", suffix=".ipynb" if is_notebook(path) else ".py")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        return verify_script(tmp, timeout=timeout, display_path=os.fspath(path), source_dir=directory)
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _ran(results: list[VerifyResult]) -> bool:
    return bool(results) and all(r.script_status == "ok" for r in results)


def _summary(results: list[VerifyResult]) -> str:
    return "; ".join(f"{r.backbone or 'script'}: {r.verdict} ({r.reason})" for r in results)


def verify_rewrite(path, original_text: str, new_text: str, timeout: float = DEFAULT_TIMEOUT,
                   ) -> tuple[bool, str]:
    """Verify the rewritten script; return (keep, reason).

    The rewrite is reverted (keep=False) when any backbone FAILs in the rewritten script, or when the
    rewritten script crashes (raises, exits non-zero, times out) where the original ran.  The
    original is only run when the rewritten one crashed.  Otherwise it is kept, also when nothing
    could be verified (the reason says so)."""
    path = os.fspath(path)
    new = _verify_text(path, new_text, timeout)
    fails = [r for r in new if r.verdict == FAIL]
    if fails:
        return False, f"the rewritten script still FAILs verification: {_summary(fails)}"
    if not _ran(new):
        original = _verify_text(path, original_text, timeout)
        why = next((r.script_error or r.reason for r in new if r.script_status != "ok"), "")
        if _ran(original):
            return False, f"the rewritten script crashes where the original ran: {why}"
        return True, f"not verified: the original script does not run either ({why})"
    if all(r.verdict == PASS or r.not_applicable for r in new) and any(r.verdict == PASS for r in new):
        return True, "verified: " + _summary([r for r in new if r.verdict == PASS])
    return True, "not verified: " + _summary(new)
