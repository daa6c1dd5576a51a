"""Finding source files and reading/writing them without losing a byte."""

from __future__ import annotations

import codecs
import errno
import io
import os
import re
import stat
import time
from dataclasses import dataclass
from pathlib import Path

# Discovery (excludes, .gitignore, notebooks) lives in fixorder.inputs.discovery.
from fixorder.inputs.discovery import DEFAULT_EXCLUDES, TEMP_SUFFIX, discover  # noqa: F401  (re-exported for callers of files)


# Checked before reading: libcst needs minutes and gigabytes for a few megabytes of source,
# so a generated file must cost a one-line error, not the run.  Hand-written scripts are ~30 kB.
MAX_SOURCE_BYTES = 1_000_000


# write_source's temporary files: ".NAME.XXXXXXXX.fixorder.tmp" (mkstemp's 8 random characters).
TEMP_PREFIX = "."
_TEMP_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.fixorder\.tmp$")
# A running fixorder holds its temporary file for the milliseconds of one write: an older one
# was left by a run that was killed (SIGKILL, power loss) between creating and renaming it.
STALE_TEMP_SECONDS = 60


def stale_temporaries(candidates) -> list[str]:
    """The names among ``candidates`` (what discovery saw ending in TEMP_SUFFIX) that are
    fixorder's own temporary files, older than STALE_TEMP_SECONDS, sorted."""
    found = []
    now = time.time()
    for path in sorted(set(candidates)):
        if not _TEMP_NAME.match(os.path.basename(path)):
            continue
        try:
            st = os.lstat(path)
        except OSError:
            continue  # gone since the walk
        if stat.S_ISREG(st.st_mode) and now - st.st_mtime > STALE_TEMP_SECONDS:
            found.append(path)
    return found


class SourceError(Exception):
    """A file that cannot be read as Python source; the message names the reason."""


@dataclass
class SourceFile:
    path: Path
    text: str
    encoding: str  # as detected by PEP 263 rules; "utf-8-sig" keeps a BOM
    raw: bytes


def read_source(path: Path, max_bytes: int | None = MAX_SOURCE_BYTES) -> SourceFile:
    """The file's bytes and text; a SourceError (one line) for anything that is not Python text."""
    return decode_source(path, read_bytes(path, max_bytes))


def read_bytes(path: str | Path, max_bytes: int | None = MAX_SOURCE_BYTES,
               st: os.stat_result | None = None) -> bytes:
    """The file's bytes; a SourceError for what cannot or must not be read (as ``read_source``).

    ``st``: the file's stat, when the caller has just taken it (a run stats every file once).
    Read with os.open/os.read and the size known: a run reads every file of the tree, and
    Python's buffered file object costs about three more system calls per file.
    """
    if st is None:
        try:
            st = os.stat(path)
        except OSError as exc:
            raise SourceError(f"cannot read: {_reason(exc)}") from exc
    if not stat.S_ISREG(st.st_mode):
        # Reading a FIFO or a device named .py would block or never end.
        raise SourceError("not a regular file; skipped")
    if max_bytes and st.st_size > max_bytes:
        raise SourceError(f"skipped: {st.st_size:,} bytes is over the size limit of {max_bytes:,} bytes")
    try:
        # O_NONBLOCK: should the name have become a FIFO since the stat, opening it does not wait.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            data = os.read(fd, st.st_size + 1)
            if len(data) <= st.st_size:  # a short read of a regular file: its end
                return data
            chunks = [data]  # it grew since the stat: read on to its end
            while True:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    return b"".join(chunks)
                chunks.append(chunk)
        finally:
            os.close(fd)
    except BlockingIOError as exc:
        raise SourceError("not a regular file; skipped") from exc
    except OSError as exc:
        raise SourceError(f"cannot read: {_reason(exc)}") from exc


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    return exc.strerror or str(exc)


def decode_source(path: Path, raw: bytes) -> SourceFile:
    encoding = source_encoding(raw)
    return SourceFile(path, decode_text(raw, encoding), encoding, raw)


def source_encoding(raw: bytes) -> str:
    """The PEP 263 encoding of a source; SourceError for a binary file or a bad declaration.

    Nearly every file has no BOM and no ``coding`` in its first two lines, where the answer
    is UTF-8 without running tokenize's Python-level detection (a decoding error then comes
    from decoding the whole file, with the same message ``decode_source`` gives).
    """
    if b"\x00" in raw:
        raise SourceError("binary file (contains NUL bytes)")
    first = raw.find(b"\n")
    second = raw.find(b"\n", first + 1) if first >= 0 else -1
    head = raw if second < 0 else raw[:second]
    if not raw.startswith(codecs.BOM_UTF8) and b"coding" not in head:
        return "utf-8"
    import tokenize  # here: only the rare file with a BOM or a coding line needs it

    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    except SyntaxError as exc:
        # detect_encoding also fails when the first lines are not UTF-8 and nothing declares
        # another encoding; say which byte is wrong rather than blame a missing cookie.
        if "invalid or missing encoding declaration" in str(exc):
            decode_text(raw, "utf-8")
        raise SourceError(f"bad encoding declaration: {exc}") from exc
    return encoding


def check_decodes(raw: bytes, encoding: str) -> None:
    """Raise the SourceError ``decode_source`` would, without keeping the text (pure ASCII
    is valid UTF-8 and is tested much faster than it is decoded)."""
    if encoding == "utf-8" and raw.isascii():
        return
    decode_text(raw, encoding)


def decode_text(raw: bytes, encoding: str) -> str:
    """``raw`` decoded; a SourceError that names the first bad byte and its line."""
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise SourceError(f"not valid {encoding}: byte 0x{raw[exc.start]:02x} on line {line} "
                          "(declare the file's encoding with a PEP 263 coding comment)") from exc
    except LookupError as exc:
        raise SourceError(f"unknown encoding {encoding!r}") from exc


def write_source(source: SourceFile, new_text: str) -> None:
    """Atomically replace the file with ``new_text`` in its original encoding, mode and owner.

    The bytes go to a temporary file in the same directory, which then replaces the file in one
    ``os.replace``: a reader sees the old or the new file, never a partial one, and a failure
    at any point leaves the original untouched.  A symbolic link is kept and its target
    rewritten.  Refuses (SourceError) when the file changed on disk since it was read, is
    read-only, or has other hard links (replacing it would silently detach them).
    """
    try:
        data = new_text.encode(source.encoding)
    except UnicodeEncodeError as exc:
        raise SourceError(f"the fix cannot be encoded as {source.encoding}; not modified") from exc
    path = Path(os.path.realpath(source.path))
    try:
        st = os.stat(path)
    except OSError as exc:
        raise SourceError(f"cannot re-read before writing: {_reason(exc)}") from exc
    _check_unchanged(path, source.raw)
    if not st.st_mode & 0o222:
        raise SourceError("read-only file; not modified")
    if st.st_nlink > 1:
        raise SourceError(f"has {st.st_nlink} hard links; replacing it would break them; not modified")
    import tempfile  # only a run that writes pays for importing it

    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    except OSError as exc:
        raise SourceError(f"cannot create a temporary file beside it: {_reason(exc)}; not modified") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # The owner first: chown clears the setuid and setgid bits, which chmod then restores.
        _keep_owner(tmp, st)
        _keep_extended_attributes(path, tmp)
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        # The last look narrows the window in which an editor's save could be overwritten.
        _check_unchanged(path, source.raw)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, SourceError):
            raise
        if isinstance(exc, OSError):
            raise SourceError(f"cannot write: {_reason(exc)}; not modified") from exc
        raise
    _sync_directory(path.parent)


def _check_unchanged(path: Path, raw: bytes) -> None:
    try:
        current = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot re-read before writing: {_reason(exc)}") from exc
    if current != raw:
        raise SourceError("changed on disk since it was read; not overwritten")


def _keep_owner(tmp: str, st: os.stat_result) -> None:
    """A file fixed by root (e.g. in a container) keeps its owner; others cannot change it anyway."""
    if hasattr(os, "geteuid") and os.geteuid() == 0 and (st.st_uid, st.st_gid) != (0, 0):
        os.chown(tmp, st.st_uid, st.st_gid)


def _keep_extended_attributes(path: Path, tmp: str) -> None:
    """Copy the file's extended attributes (ACLs, SELinux labels, user.* tags) to the new file;
    refuse the write (SourceError) when one of them cannot be set there."""
    if not hasattr(os, "listxattr"):
        return
    try:
        names = os.listxattr(path)
    except OSError as exc:
        if exc.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):
            return  # the file system has none
        raise SourceError(f"cannot read its extended attributes: {_reason(exc)}; not modified") from exc
    for name in names:
        try:
            value = os.getxattr(path, name)
            if name in os.listxattr(tmp) and os.getxattr(tmp, name) == value:
                continue  # there already (a default ACL of the directory, a label of new files)
            os.setxattr(tmp, name, value)
        except OSError as exc:
            raise SourceError(f"cannot keep its extended attribute {name} ({_reason(exc)}); not modified") from exc


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable; not every platform or file system allows it."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
