"""Results of earlier runs, so that an unchanged file is neither parsed nor analysed again.

One JSON file per *fingerprint* (fixorder's version and code, the catalogue, the effective
options) in ``.fixorder_cache/``; inside it, one entry per absolute path:

- a file the pre-filter rejected: its size and mtime only (re-reading it and testing the bytes
  is cheaper than hashing it, so that is what a changed file costs);
- a file that was analysed: size, mtime, the SHA-256 of its bytes and its findings.

A file whose size and mtime are unchanged is trusted without being read (as ruff and black
do); a file whose mtime changed but whose bytes hash the same is still a hit.  Results that
depend on the machine rather than the file (time limit, internal error) are never stored.
"""

from __future__ import annotations

import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

from fixorder import __version__
from fixorder.findings import Edit, Finding, Fix
from fixorder.options import Options

DEFAULT_DIRECTORY = ".fixorder_cache"
FORMAT = 1
_TAG_NAME = "CACHEDIR.TAG"
# https://bford.info/cachedir/ : backup tools skip a directory holding this file.
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# fixorder's cache; `fixorder clean` removes it.\n"
_PACKAGE_ROOTS = ("fixorder", "codemods")


@dataclass
class CachedResult:
    findings: list[dict]  # Finding.to_json() without "path", plus "fixable"
    error: str | None
    warning: str | None = None

    @property
    def clean(self) -> bool:
        """Nothing to report and nothing to fix."""
        return not self.findings and self.error is None

    def restore(self, display: str) -> list[Finding]:
        return [_finding_from_json(display, data) for data in self.findings]


def content_hash(raw: bytes) -> str:
    import hashlib  # here: a warm run that reads no changed file never loads OpenSSL

    return hashlib.sha256(raw).hexdigest()


def fingerprint_key(options: Options) -> str:
    """Everything besides the file that a cached result depends on, as text.

    fixorder's own code and catalogue count by the size and mtime of each file (the way the
    cache trusts the files it checks, and as Python trusts its .pyc files): a stat per file
    is much cheaper than hashing the package on every run, and an edit, a new or removed
    module, a reinstall or an upgrade each change it.
    """
    lines = [f"{FORMAT}|{__version__}|{sorted(options.select)}|{options.strategy}|{options.unsafe_fixes}"]
    here = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    for root in _PACKAGE_ROOTS:
        top = os.path.join(here, root)
        for directory, subdirectories, files in os.walk(top):
            subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".py", ".json")):
                    st = os.stat(os.path.join(directory, name))
                    relative = os.path.relpath(os.path.join(directory, name), here).replace(os.sep, "/")
                    lines.append(f"{relative}|{st.st_size}|{st.st_mtime_ns}")
    return "\n".join(lines)


def fingerprint(options: Options) -> str:
    """A short name for ``fingerprint_key``: it names the results file, which also stores the
    whole key, so two keys that share a name never share results."""
    return _short(fingerprint_key(options))


def _short(key: str) -> str:
    data = key.encode()
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"  # zlib: no OpenSSL to load


class Cache:
    def __init__(self, directory: str | os.PathLike, options: Options):
        self.directory = Path(directory)
        self.key = fingerprint_key(options)
        self.file = self.directory / f"results-{_short(self.key)}.json"
        self.entries: dict[str, dict] = {}
        self.dirty = False
        try:
            with open(self.file, "rb") as handle:
                data = json.loads(handle.read())
            if isinstance(data, dict) and data.get("format") == FORMAT and data.get("key") == self.key:
                self.entries = data.get("files", {})
        except (OSError, ValueError):
            pass  # no cache yet, or a damaged one: start afresh

    # ---------------------------------------------------------------- lookups
    def by_stat(self, key: str, st: os.stat_result) -> tuple[bool, CachedResult | None]:
        """(hit, result) for an unchanged size and mtime; result None means pre-filter rejected."""
        entry = self.entries.get(key)
        if entry is None or entry["size"] != st.st_size or entry["mtime_ns"] != st.st_mtime_ns:
            return False, None
        return True, _result(entry)

    def by_content(self, key: str, st: os.stat_result, digest: str) -> CachedResult | None:
        """The stored result of an analysed file whose bytes are unchanged (mtime may differ)."""
        entry = self.entries.get(key)
        if entry is None or entry.get("sha256") != digest or entry.get("result") is None:
            return None
        entry["mtime_ns"], entry["size"] = st.st_mtime_ns, st.st_size
        self.dirty = True
        return _result(entry)

    # ----------------------------------------------------------------- stores
    def store_rejected(self, key: str, st: os.stat_result) -> None:
        self.entries[key] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "result": None}
        self.dirty = True

    def store_result(self, key: str, st: os.stat_result, digest: str, findings: list[Finding],
                     error: str | None, warning: str | None = None) -> None:
        self.entries[key] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": digest,
                             "result": {"findings": [_finding_to_json(f) for f in findings], "error": error,
                                        "warning": warning}}
        self.dirty = True

    def save(self) -> None:
        """Write atomically; a cache that cannot be written is silently not written."""
        if not self.dirty:
            return
        import tempfile  # here: a run that writes nothing does not pay for importing it

        try:
            prepare_directory(self.directory)
            fd, tmp = tempfile.mkstemp(prefix=".results-", suffix=".tmp", dir=self.directory)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"format": FORMAT, "key": self.key, "files": self.entries}, handle, separators=(",", ":"))
            os.replace(tmp, self.file)
            self.dirty = False
        except OSError:
            pass


def prepare_directory(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    tag = directory / _TAG_NAME
    if not tag.exists():
        tag.write_text(_TAG, encoding="utf-8")
        (directory / ".gitignore").write_text("# created by fixorder\n*\n", encoding="utf-8")


def clean(directory: str | os.PathLike) -> bool:
    """Remove a fixorder cache directory; refuses a directory fixorder did not create."""
    path = Path(directory)
    if not path.exists():
        return False
    if not (path / _TAG_NAME).is_file() or not (path / _TAG_NAME).read_text(encoding="utf-8").startswith(_TAG[:43]):
        raise ValueError(f"{path} is not a fixorder cache directory (no {_TAG_NAME}); not removed")
    import shutil

    shutil.rmtree(path)
    return True


def _result(entry: dict) -> CachedResult | None:
    result = entry.get("result")
    return None if result is None else CachedResult(result["findings"], result["error"], result.get("warning"))


def _finding_to_json(finding: Finding) -> dict:
    data = finding.to_json()
    del data["path"]
    data["fixable"] = finding.fix is not None and finding.fix.action is not None
    return data


def _finding_from_json(display: str, data: dict) -> Finding:
    from fixorder.worker import DETACHED

    fix = None
    if data["fix"] is not None:
        f = data["fix"]
        edits = [Edit(e["start"]["line"], e["start"]["column"], e["end"]["line"], e["end"]["column"], e["content"])
                 for e in f["edits"]]
        fix = Fix(f["applicability"], f["strategy"], f["description"],
                  DETACHED if data["fixable"] else None, edits)
    return Finding(display, data["line"], data["column"], data["end_line"], data["end_column"], data["code"],
                   data["name"], data["message"], data["backbone"], data["module"], data["expects"],
                   data["cell"], fix)
