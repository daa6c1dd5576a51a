"""``fixorder --fix`` rewrites a file without losing anything the fix did not mean to change.

Each test takes a real pipeline that gets a real FO101 fix, varies one property of the file
(encoding, BOM, line endings, indentation, mode, ...), runs the real command line and compares
the bytes with the fix of the plain variant carried through the same variation.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.safety_support import error_lines, reachable_directory, run_fixorder
from fixorder.inputs.files import SourceError, read_source, write_source

# An eager MobileNetV2 pipeline without preprocess_input: the fix wraps the backbone's argument.
EAGER = '''import tensorflow as tf

augment = tf.keras.Sequential([tf.keras.layers.RandomFlip("horizontal")])   
base = tf.keras.applications.MobileNetV2(include_top=False)
images = tf.random.uniform((2, 224, 224, 3), maxval=255)
features = base(augment(images, training=True))
'''
EAGER_FIXED = EAGER.replace(
    "features = base(augment(images, training=True))",
    # The fixed call is over the file's 88 columns: wrapped as black would (README, Formatting).
    "features = base(\n    tf.keras.applications.mobilenet_v2.preprocess_input(augment(images, training=True))\n)")

# A function-level pipeline; the fold strategy adds an import and a nested function (new lines).
NESTED = '''from tensorflow.keras import layers, Sequential
from tensorflow.keras.applications import MobileNetV2


def build(inputs):
    augment = Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)])  
    x = augment(inputs)
    if x is None:	# a tab before this comment
        return None
    base = MobileNetV2(include_top=False)
    return base(x)
'''


def fix(path: Path, *options: str) -> None:
    proc = run_fixorder("--fix", *options, path)
    assert proc.returncode == 0, proc.stderr
    assert "Fixed 1 finding in 1 file" in proc.stderr


@pytest.fixture(scope="module")
def nested_fold_fixed(tmp_path_factory) -> str:
    """The fold fix of the plain (LF, spaces, UTF-8) variant: the reference for the others."""
    path = tmp_path_factory.mktemp("reference") / "nested.py"
    path.write_text(NESTED, encoding="utf-8")
    fix(path, "--strategy", "fold")
    fixed = path.read_text(encoding="utf-8")
    assert "def augment_and_preprocess" in fixed and "import preprocess_input" in fixed
    return fixed


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_plain_fix_is_exactly_the_expected_rewrite(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(EAGER, encoding="utf-8")
    fix(path)
    assert path.read_bytes() == EAGER_FIXED.encode("utf-8")


def test_the_file_is_replaced_atomically_and_no_temporary_file_remains(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(EAGER, encoding="utf-8")
    inode_before = path.stat().st_ino
    reader = open(path, "rb")  # a reader that opened the file before the fix keeps the old bytes
    fix(path)
    assert path.stat().st_ino != inode_before  # a new file renamed over the old, not rewritten in place
    assert reader.read() == EAGER.encode("utf-8")
    reader.close()
    assert path.read_bytes() == EAGER_FIXED.encode("utf-8")
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("mode", [0o644, 0o600, 0o755, 0o664])
def test_permissions_are_kept(tmp_path, mode):
    path = tmp_path / "train.py"
    path.write_text(EAGER, encoding="utf-8")
    os.chmod(path, mode)
    fix(path)
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert path.read_bytes() == EAGER_FIXED.encode("utf-8")


def test_owner_is_kept_when_root_fixes_another_users_file(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(EAGER, encoding="utf-8")
    if os.geteuid() == 0:
        os.chown(path, 65534, 65534)
    owner = (path.stat().st_uid, path.stat().st_gid)
    fix(path)
    assert (path.stat().st_uid, path.stat().st_gid) == owner


def test_pep263_latin1_file_stays_latin1(tmp_path):
    header = "# -*- coding: latin-1 -*-\n# Entraînement: café, naïve, 100 µm\nLABEL = 'été'\n"
    path = tmp_path / "train.py"
    path.write_bytes((header + EAGER).encode("latin-1"))
    fix(path)
    data = path.read_bytes()
    assert data == (header + EAGER_FIXED).encode("latin-1")
    assert b"caf\xe9" in data and "é".encode("utf-8") not in data


def test_utf8_bom_is_kept_once(tmp_path):
    path = tmp_path / "train.py"
    path.write_bytes(b"\xef\xbb\xbf" + ("# modèle\n" + EAGER).encode("utf-8"))
    fix(path)
    assert path.read_bytes() == b"\xef\xbb\xbf" + ("# modèle\n" + EAGER_FIXED).encode("utf-8")


def test_crlf_line_endings_are_kept_on_every_line_including_new_ones(tmp_path, nested_fold_fixed):
    path = tmp_path / "train.py"
    path.write_bytes(NESTED.replace("\n", "\r\n").encode("utf-8"))
    fix(path, "--strategy", "fold")
    data = path.read_bytes()
    assert data == nested_fold_fixed.replace("\n", "\r\n").encode("utf-8")
    assert data.count(b"\n") == data.count(b"\r\n")


def test_crlf_eager_fix(tmp_path):
    path = tmp_path / "train.py"
    path.write_bytes(EAGER.replace("\n", "\r\n").encode("utf-8"))
    fix(path)
    assert path.read_bytes() == EAGER_FIXED.replace("\n", "\r\n").encode("utf-8")


def indent_with_tabs(text: str) -> str:
    return re.sub(r"(?m)^((?:    )+)", lambda m: "\t" * (len(m.group(1)) // 4), text)


def test_tab_indentation_is_kept_and_used_for_new_lines(tmp_path, nested_fold_fixed):
    path = tmp_path / "train.py"
    path.write_text(indent_with_tabs(NESTED), encoding="utf-8")
    fix(path, "--strategy", "fold")
    fixed = path.read_text(encoding="utf-8")
    assert fixed == indent_with_tabs(nested_fold_fixed)
    assert not re.search(r"(?m)^ ", fixed)  # no line indented with spaces


def test_trailing_whitespace_and_tabs_inside_lines_are_kept(tmp_path, nested_fold_fixed):
    path = tmp_path / "train.py"
    path.write_text(NESTED, encoding="utf-8")
    fix(path, "--strategy", "fold")
    fixed = path.read_text(encoding="utf-8")
    assert 'layers.RandomRotation(0.1)])  \n' in fixed
    assert "if x is None:\t# a tab before this comment\n" in fixed
    eager = tmp_path / "eager.py"
    eager.write_text(EAGER, encoding="utf-8")
    fix(eager)
    assert '[tf.keras.layers.RandomFlip("horizontal")])   \n' in eager.read_text(encoding="utf-8")


def test_missing_final_newline_stays_missing(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(EAGER.rstrip("\n"), encoding="utf-8")
    fix(path)
    assert path.read_bytes() == EAGER_FIXED.rstrip("\n").encode("utf-8")


def test_a_symbolic_link_stays_a_link_and_its_target_is_fixed(tmp_path):
    target = tmp_path / "real.py"
    target.write_text(EAGER, encoding="utf-8")
    link = tmp_path / "link.py"
    link.symlink_to(target.name)
    fix(link)
    assert link.is_symlink() and os.readlink(link) == "real.py"
    assert target.read_bytes() == EAGER_FIXED.encode("utf-8")


def test_a_file_with_other_hard_links_is_not_replaced(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(EAGER, encoding="utf-8")
    other = tmp_path / "other_name.py"
    os.link(path, other)
    proc = run_fixorder("--fix", path)
    assert proc.returncode == 2
    [line] = error_lines(proc)
    assert "train.py" in line and "hard links" in line
    assert path.read_bytes() == EAGER.encode("utf-8") and os.path.samefile(path, other)


def test_diff_writes_nothing(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(EAGER, encoding="utf-8")
    before = path.stat()
    proc = run_fixorder("--diff", path)
    assert proc.returncode == 1 and "+    tf.keras.applications.mobilenet_v2.preprocess_input(augment(" in proc.stdout
    assert path.read_bytes() == EAGER.encode("utf-8") and path.stat().st_mtime_ns == before.st_mtime_ns


def test_a_file_changed_on_disk_after_reading_is_not_overwritten(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(EAGER, encoding="utf-8")
    source = read_source(path)
    editor_save = EAGER + "# saved by an editor meanwhile\n"
    path.write_text(editor_save, encoding="utf-8")
    with pytest.raises(SourceError, match="changed on disk"):
        write_source(source, EAGER_FIXED)
    assert path.read_text(encoding="utf-8") == editor_save
    assert leftovers(tmp_path) == []


def test_a_file_deleted_after_reading_is_not_recreated(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(EAGER, encoding="utf-8")
    source = read_source(path)
    path.unlink()
    with pytest.raises(SourceError):
        write_source(source, EAGER_FIXED)
    assert not path.exists() and leftovers(tmp_path) == []


def test_a_directory_that_cannot_take_the_temporary_file_leaves_the_original():
    """Run as nobody: the file is writable but its directory is not, so no replace can happen."""
    with reachable_directory() as top:
        shared = top / "shared"
        shared.mkdir()
        path = shared / "train.py"
        path.write_text(EAGER, encoding="utf-8")
        os.chmod(path, 0o666)
        os.chmod(shared, 0o555)
        proc = run_fixorder("--fix", "--no-cache", path, cwd=top, unprivileged=True)
        assert proc.returncode == 2, proc.stderr
        [line] = error_lines(proc)
        assert "train.py" in line and "not modified" in line
        assert path.read_bytes() == EAGER.encode("utf-8")
        assert leftovers(shared) == []


def test_a_fix_the_file_encoding_cannot_hold_is_refused_not_mangled(tmp_path):
    path = tmp_path / "train.py"
    original = ("# -*- coding: latin-1 -*-\n" + EAGER).encode("latin-1")
    path.write_bytes(original)
    source = read_source(path)
    with pytest.raises(SourceError, match="cannot be encoded as iso-8859-1"):
        write_source(source, source.text + "# 50 € of GPU time\n")
    assert path.read_bytes() == original and leftovers(tmp_path) == []


def _fix_with_file_size_limit(path: Path, limit: int) -> subprocess.CompletedProcess:
    """``fixorder --fix`` with RLIMIT_FSIZE at ``limit`` bytes: writing more fails with EFBIG
    (SIGXFSZ ignored), a real failure in the middle of writing the temporary file."""
    import resource
    import signal

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-m", "fixorder", "--fix", "--no-cache", str(path)], env=env,
                          capture_output=True, text=True, timeout=120, preexec_fn=limit_file_size)


def test_a_write_that_fails_midway_leaves_the_original_and_no_temporary_file(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(EAGER, encoding="utf-8")
    assert len(EAGER_FIXED.encode()) > len(EAGER.encode())
    proc = _fix_with_file_size_limit(path, len(EAGER.encode()))
    assert proc.returncode == 2, proc.stderr
    [line] = error_lines(proc)
    assert "train.py" in line and "cannot write" in line and "not modified" in line
    assert path.read_bytes() == EAGER.encode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["train.py"]


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another owner")
@pytest.mark.parametrize("owner", [(1, 0), (0, 1)], ids=["user-not-root-group-root", "user-root-group-not-root"])
def test_owner_is_kept_when_only_the_user_or_only_the_group_is_not_root(tmp_path, owner):
    """_keep_owner skips the chown only for a root:root file: one that root's fix would give
    to root:root anyway.  A file of user 1 in group root (or of root in group 1) keeps both."""
    path = tmp_path / "train.py"
    path.write_text(EAGER, encoding="utf-8")
    os.chown(path, *owner)
    fix(path)
    assert (path.stat().st_uid, path.stat().st_gid) == owner
    assert path.read_bytes() == EAGER_FIXED.encode("utf-8")


# A Ctrl-C that lands just before the rename: an audit hook raises KeyboardInterrupt when
# write_source calls os.replace, in a child process (audit hooks cannot be removed).
_INTERRUPTED_WRITE = """
import sys
from pathlib import Path

from fixorder.inputs.files import read_source, write_source

def interrupt(event, args):
    if event == "os.rename":  # os.replace audits as os.rename
        raise KeyboardInterrupt

source = read_source(Path(sys.argv[1]))
sys.addaudithook(interrupt)
try:
    write_source(source, sys.argv[2])
except KeyboardInterrupt:
    print("interrupted")
else:
    print("returned")
"""


def _write_in_a_child(tmp_path, program: str) -> str:
    """Run ``program`` (which writes EAGER_FIXED over a file holding EAGER) in a child process;
    what it printed, once the file is shown unchanged and alone in its folder."""
    path = tmp_path / "train.py"
    path.write_text(EAGER, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", program, str(path), EAGER_FIXED],
                          capture_output=True, text=True, timeout=120)
    assert path.read_bytes() == EAGER.encode("utf-8"), proc.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["train.py"]
    return proc.stdout.strip() or proc.stderr


def test_an_interrupt_during_the_write_propagates_and_leaves_the_original(tmp_path):
    assert _write_in_a_child(tmp_path, _INTERRUPTED_WRITE) == "interrupted"


# A write that fails with an OSError (EFBIG past a soft RLIMIT_FSIZE, SIGXFSZ ignored), in a
# child process that lifts the limit again before it exits.
_FAILED_WRITE = """
import resource
import signal
import sys
from pathlib import Path

from fixorder.inputs.files import SourceError, read_source, write_source

source = read_source(Path(sys.argv[1]))
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
_, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
resource.setrlimit(resource.RLIMIT_FSIZE, (len(source.raw), hard))
try:
    write_source(source, sys.argv[2])
except SourceError as exc:
    outcome = str(exc)
else:
    outcome = "returned"
resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
print(outcome)
"""


def test_write_source_refuses_a_write_that_fails_midway(tmp_path):
    """The unit under the command line's test above: the OSError is one SourceError, not a
    silent return with nothing written."""
    assert _write_in_a_child(tmp_path, _FAILED_WRITE) == "cannot write: File too large; not modified"
