"""A rewrite keeps what the file had besides its bytes (setuid/setgid bits, extended
attributes) and the bytes libcst does not round-trip (a final lone CR) (issue 16, items 7, 8)."""

from __future__ import annotations

import os
import stat

import pytest

from tests.cli_helpers import BROKEN_SCRIPT, FIXED_SCRIPT, fixorder

root_only = pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")


def _fix(tmp_path) -> None:
    out = fixorder("--no-cache", "--fix", "train.py", cwd=tmp_path)
    assert out.returncode == 0, out.stderr


@root_only
@pytest.mark.parametrize("mode", [0o4755, 0o2775, 0o6755, 0o2664], ids=oct)
def test_setuid_and_setgid_bits_are_kept_when_root_fixes_another_users_file(tmp_path, mode):
    path = tmp_path / "train.py"
    path.write_text(BROKEN_SCRIPT)
    os.chown(path, 65534, 65534)
    os.chmod(path, mode)
    _fix(tmp_path)
    assert path.read_text() == FIXED_SCRIPT
    st = path.stat()
    assert (st.st_uid, st.st_gid) == (65534, 65534)
    assert oct(stat.S_IMODE(st.st_mode)) == oct(mode)


def _supports_xattrs(path) -> bool:
    try:
        os.setxattr(path, "user.fixorder-probe", b"1")
        os.removexattr(path, "user.fixorder-probe")
        return True
    except OSError:
        return False


def test_extended_attributes_are_kept(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(BROKEN_SCRIPT)
    if not _supports_xattrs(path):
        pytest.skip("no extended attributes on this file system")
    os.setxattr(path, "user.origin", b"downloaded from the course site")
    os.setxattr(path, "user.empty", b"")
    attributes = {"user.origin": b"downloaded from the course site", "user.empty": b""}
    if os.geteuid() == 0:  # trusted.* needs CAP_SYS_ADMIN
        os.setxattr(path, "trusted.reviewed", b"yes")
        attributes["trusted.reviewed"] = b"yes"
    _fix(tmp_path)
    assert path.read_text() == FIXED_SCRIPT
    assert {name: os.getxattr(path, name) for name in os.listxattr(path)} == attributes


@pytest.mark.parametrize("ending, tail", [("\r", "\r"), ("\r", "\r\r"), ("\n", "\r"), ("\r\n", "\r")],
                         ids=["CR file", "CR file, two final CRs", "LF file ending in CR", "CRLF file ending in CR"])
def test_a_final_lone_cr_is_kept(tmp_path, ending, tail):
    body = BROKEN_SCRIPT.rstrip("\n").replace("\n", ending)
    (tmp_path / "train.py").write_bytes((body + tail).encode())
    _fix(tmp_path)
    assert (tmp_path / "train.py").read_bytes() == (FIXED_SCRIPT.rstrip("\n").replace("\n", ending) + tail).encode()
