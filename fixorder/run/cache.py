"""Results of earlier runs, so that an unchanged file is neither parsed nor analysed again.

One JSON file per *fingerprint* (fixorder's version and code, the catalogue, the effective
options) in ``.fixorder_cache/``; inside it, one entry per absolute path:

- a file the pre-filter rejected: its stat only (re-reading it and testing the bytes is
  cheaper than hashing it, so that is what a changed file costs);
- a file that was analysed: its stat, the SHA-256 of its bytes and its findings.

The stat is what git's index trusts: size, mtime and ctime in nanoseconds, and the inode.
``cp -p``, ``rsync -a`` and ``tar x`` restore the mtime but not the ctime (which only the
kernel sets) nor the inode, so a same-size edit with its mtime put back is still noticed.
A file that changed within RACY_NS of being stored is *racy* (git's word): an edit in the
same timestamp tick would leave its stat unchanged, so such an entry is never trusted by stat
alone; the file is read again (and hashed, for an analysed file).  A file whose stat changed
but whose bytes hash the same is still a hit.  Results that depend on the machine rather than
the file (time limit, internal error) are never stored.

A cache that cannot be read as this format (renamed keys, wrong types, deep nesting) is
discarded with a warning and rewritten; one that cannot be read or written at all (a file
where the directory should be, no permission) means a run without it, with a warning.
"""

from __future__ import annotations

import json
import os
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from fixorder import __version__
from fixorder.findings import Edit, Finding, Fix
from fixorder.inputs.options import Options

DEFAULT_DIRECTORY = ".fixorder_cache"
FORMAT = 2
# Coarser than any file system's timestamp tick (FAT: 2 s; ext4, XFS, tmpfs: a kernel tick).
RACY_NS = 2_000_000_000
_TAG_NAME = "CACHEDIR.TAG"
# https://bford.info/cachedir/ : backup tools skip a directory holding this file.
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# fixorder's cache; `fixorder clean` removes it.\n"
_PACKAGE_ROOTS = ("fixorder", "codemods")


@dataclass
class CachedResult:
    findings: list[dict]  # Finding.to_json() without "path", plus "fixable"
    error: str | None
    warning: str | None = None
    backbones: tuple[int, int] = (0, 0)  # pretrained backbones found, and linked to data

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
    # The folder holding fixorder/ and codemods/ (this file is fixorder/run/cache.py).
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
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


def stat_fields(st: os.stat_result) -> dict:
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "ctime_ns": st.st_ctime_ns, "ino": st.st_ino}


class DamagedCache(Exception):
    """The results file is JSON but not this format; the message says where."""


class Cache:
    def __init__(self, directory: str | os.PathLike, options: Options):
        self.directory = Path(directory)
        self.key = fingerprint_key(options)
        self.file = self.directory / f"results-{_short(self.key)}.json"
        # Warnings name the cache as the user would: relative to the current folder when inside it.
        self.shown = _shown(self.directory)
        self.entries: dict[str, dict] = {}
        self.dirty = False
        self.usable = True
        self.warnings: list[str] = []  # "path: reason", one per problem, for the run's warnings
        try:
            with open(self.file, "rb") as handle:
                data = json.loads(handle.read())
        except FileNotFoundError:
            return  # no cache yet
        except OSError as exc:
            return self._unusable(f"cannot read the cache: {exc.strerror or exc}")
        except (ValueError, RecursionError) as exc:
            return self._damaged(f"not valid JSON ({type(exc).__name__})")
        try:
            self.entries = _checked(data, self.key)
        except DamagedCache as exc:
            self._damaged(str(exc))

    def _unusable(self, reason: str) -> None:
        self.usable = False
        self.warnings.append(f"{self.shown}: {reason}; running without the cache")

    def _damaged(self, reason: str) -> None:
        self.entries = {}
        self.dirty = True  # rewritten in the current format at the end of the run
        self.warnings.append(f"{self.shown / self.file.name}: damaged cache ({reason}); discarded")

    # ---------------------------------------------------------------- lookups
    def by_stat(self, key: str, st: os.stat_result) -> tuple[bool, CachedResult | None]:
        """(hit, result) for an unchanged, non-racy stat; result None means pre-filter rejected."""
        entry = self.entries.get(key)
        # Spelt out, not a loop over stat_fields: a warm run makes this test for every file.
        if entry is None or "racy" in entry or entry["size"] != st.st_size or entry["mtime_ns"] != st.st_mtime_ns \
                or entry["ctime_ns"] != st.st_ctime_ns or entry["ino"] != st.st_ino:
            return False, None
        return True, _result(entry)

    def by_content(self, key: str, st: os.stat_result, digest: str) -> CachedResult | None:
        """The stored result of an analysed file whose bytes are unchanged (its stat may differ)."""
        entry = self.entries.get(key)
        if entry is None or entry.get("sha256") != digest or entry.get("result") is None:
            return None
        entry.update(_stamp(st))
        self.dirty = True
        return _result(entry)

    # ----------------------------------------------------------------- stores
    def store_rejected(self, key: str, st: os.stat_result) -> None:
        self.entries[key] = {**_stamp(st), "result": None}
        self.dirty = True

    def store_result(self, key: str, st: os.stat_result, digest: str, findings: list[Finding],
                     error: str | None, warning: str | None = None, backbones: tuple[int, int] = (0, 0)) -> None:
        self.entries[key] = {**_stamp(st), "sha256": digest,
                             "result": {"findings": [_finding_to_json(f) for f in findings], "error": error,
                                        "warning": warning, "backbones": list(backbones)}}
        self.dirty = True

    def save(self) -> None:
        """Write atomically; a cache that cannot be written is not written (with a warning)."""
        if not self.dirty or not self.usable:
            return
        import tempfile  # here: a run that writes nothing does not pay for importing it

        tmp = None
        try:
            prepare_directory(self.directory)
            fd, tmp = tempfile.mkstemp(prefix=".results-", suffix=".tmp", dir=self.directory)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"format": FORMAT, "key": self.key, "files": self.entries}, handle, separators=(",", ":"))
            os.replace(tmp, self.file)
            tmp = None
            self.dirty = False
        except OSError as exc:
            self.warnings.append(f"{self.shown}: cannot write the cache: {exc.strerror or exc}; "
                                 "results not kept")
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass


def _stamp(st: os.stat_result) -> dict:
    """The stat fields of an entry, and whether it is racy (changed too recently to trust them)."""
    fields = stat_fields(st)
    if max(st.st_mtime_ns, st.st_ctime_ns) >= time.time_ns() - RACY_NS:
        fields["racy"] = True
    return fields


def _checked(data, key: str) -> dict[str, dict]:
    """The entries of a results file; {} for another format or key (another fixorder), and
    DamagedCache when it claims to be this format but its content is not."""
    if not isinstance(data, dict):
        raise DamagedCache("not an object")
    if data.get("format") != FORMAT or data.get("key") != key:
        return {}
    files = data.get("files")
    if not isinstance(files, dict):
        raise DamagedCache('"files" is not an object')
    for path, entry in files.items():
        if not _valid_entry(entry):
            raise DamagedCache(f"bad entry for {path}")
    return files


def _valid_entry(entry) -> bool:
    # Spelt out for the common entry (a pre-filtered file: four ints and no result), which a
    # warm run checks for every file of the tree on load.
    if type(entry) is not dict or type(entry.get("size")) is not int or type(entry.get("mtime_ns")) is not int \
            or type(entry.get("ctime_ns")) is not int or type(entry.get("ino")) is not int:
        return False
    result = entry.get("result", 0)
    if result is None:
        return True
    if not isinstance(result, dict) or not isinstance(entry.get("sha256"), str):
        return False
    if not isinstance(result.get("error"), (str, type(None))) or not isinstance(result.get("warning"), (str, type(None))):
        return False
    findings = result.get("findings")
    if not isinstance(findings, list):
        return False
    counts = result.get("backbones", [0, 0])
    if not isinstance(counts, list) or len(counts) != 2 or any(type(c) is not int for c in counts):
        return False
    try:
        for data in findings:
            if any(type(data[k]) is not int for k in ("line", "column", "end_line", "end_column")) or \
                    any(not isinstance(data[k], str) for k in ("code", "name", "message")):
                return False
            _finding_from_json("", data)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return False
    return True


def _shown(directory: Path) -> Path:
    try:
        return Path(os.path.relpath(directory)) if Path(directory).resolve().is_relative_to(Path.cwd().resolve()) \
            else Path(directory)
    except (OSError, ValueError):
        return Path(directory)


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
    if result is None:
        return None
    return CachedResult(result["findings"], result["error"], result.get("warning"),
                        tuple(result.get("backbones", (0, 0))))


def _finding_to_json(finding: Finding) -> dict:
    data = finding.to_json()
    del data["path"]
    data["fixable"] = finding.fix is not None and finding.fix.action is not None
    return data


def _finding_from_json(display: str, data: dict) -> Finding:
    from fixorder.run.worker import DETACHED

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
