"""Finding source files and reading/writing them without losing a byte."""

from __future__ import annotations

import io
import os
import stat
import tempfile
import tokenize
from dataclasses import dataclass
from pathlib import Path

# Discovery (excludes, .gitignore, notebooks) lives in fixorder.discovery.
from fixorder.discovery import DEFAULT_EXCLUDES, discover  # noqa: F401  (re-exported for callers of files)


class SourceError(Exception):
    """A file that cannot be read as Python source; the message names the reason."""


@dataclass
class SourceFile:
    path: Path
    text: str
    encoding: str  # as detected by PEP 263 rules; "utf-8-sig" keeps a BOM
    raw: bytes


def read_source(path: Path) -> SourceFile:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from exc
    return decode_source(path, raw)


def decode_source(path: Path, raw: bytes) -> SourceFile:
    if b"\x00" in raw:
        raise SourceError("binary file (contains NUL bytes)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    except SyntaxError as exc:
        raise SourceError(f"bad encoding declaration: {exc}") from exc
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise SourceError(f"cannot decode as {encoding}: {exc}") from exc
    return SourceFile(path, text, encoding, raw)


def write_source(source: SourceFile, new_text: str) -> None:
    """Atomically replace the file with ``new_text`` in its original encoding and mode.

    Refuses when the file changed on disk since it was read.
    """
    data = new_text.encode(source.encoding)
    path = source.path
    try:
        current = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot re-read before writing: {exc.strerror or exc}") from exc
    if current != source.raw:
        raise SourceError("changed on disk since it was read; not overwritten")
    st = path.stat()
    if not st.st_mode & 0o222:
        raise SourceError("read-only file; not modified")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".fixorder.tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
