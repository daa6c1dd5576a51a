"""Every escape from ``fixorder verify``'s confinement found by the adversarial run (issue 15),
each tried in both modes: inside the bubblewrap sandbox, and in the fallback (``--no-sandbox``).

Each script acts on a directory outside verify's temporary directory (or on a listener this test
starts on 127.0.0.1).  Sandboxed, the effect must not happen.  In the fallback it must not happen
either where the Python-level guards can stop it; where they cannot (``os.open(dir_fd=)``,
``os.mkfifo``, raising limits as root), the report must say "not isolated".

The scripts run without TensorFlow (``instrument=False``: the same supervisor, sandbox and
guards, no instrumentation), so each takes a fraction of a second; one test at the end runs a
real backbone to show that a caught refusal turns a would-be PASS into UNVERIFIED.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from fixorder.verify import PASS, UNVERIFIED, sandbox, to_json, to_text
from fixorder.verify.runner import verify_script

ROOT = Path(__file__).resolve().parent.parent
SANDBOX = sandbox.probe()
MODES = [
    pytest.param(True, id="sandboxed", marks=pytest.mark.skipif(
        not SANDBOX.isolated, reason=SANDBOX.description)),
    pytest.param(False, id="fallback"),
]


@pytest.fixture
def outside(tmp_path):
    """A directory outside verify's temporary directory, with a file in it, enterable by the
    sandbox's unprivileged user (so the kernel, not file permissions, is what stops a write)."""
    d = tmp_path / "outside"
    d.mkdir()
    (d / "victim").write_text("original\n")
    for p in (tmp_path, d):
        p.chmod(0o777)
    (d / "victim").chmod(0o666)
    return d


def run(tmp_path, body: str, sandboxed: bool, timeout: float = 60, **kw):
    script = tmp_path / f"escape_{uuid.uuid4().hex[:8]}.py"
    script.write_text(textwrap.dedent(body))
    results = verify_script(script, timeout=timeout, sandboxed=sandboxed, instrument=False, whole_script=True, **kw)
    assert len(results) == 1
    r = results[0]
    # Every report says where the script ran, in JSON and in text.
    row = json.loads(to_json(results))[0]
    assert row["isolated"] is sandboxed and row["isolation"] == r.isolation
    expected = "sandboxed: " if sandboxed else "not isolated: "
    assert r.isolation.startswith(expected)
    assert expected.strip() in to_text(results)
    assert r.verdict == UNVERIFIED
    return r


def assert_prevented_or_reported(r, happened: bool, sandboxed: bool, fallback_blocks: bool):
    if sandboxed or fallback_blocks:
        assert not happened, r.reason
    else:  # the Python-level guards cannot stop this one: whether or not it happened, the report says so
        assert r.isolation.startswith("not isolated: ") and "not isolated" in to_text([r])


# -- the file system -----------------------------------------------------------------------------

FILE_ESCAPES = {
    # name: (script body using OUT, check(outside) -> effect happened, fallback blocks it)
    "dir_fd remove": ("""
        fd = os.open(OUT, os.O_RDONLY)
        os.remove("victim", dir_fd=fd)
        """, lambda d: not (d / "victim").exists(), True),
    "dir_fd rename": ("""
        fd = os.open(OUT, os.O_RDONLY)
        os.rename("victim", "moved", src_dir_fd=fd, dst_dir_fd=fd)
        """, lambda d: (d / "moved").exists(), True),
    "dir_fd mkdir": ("""
        fd = os.open(OUT, os.O_RDONLY)
        os.mkdir("made", dir_fd=fd)
        """, lambda d: (d / "made").exists(), True),
    "dir_fd open": ("""
        fd = os.open(OUT, os.O_RDONLY)
        os.close(os.open("created", os.O_CREAT | os.O_WRONLY, dir_fd=fd))
        """, lambda d: (d / "created").exists(), False),
    "fd chmod": ("""
        fd = os.open(os.path.join(OUT, "victim"), os.O_RDONLY)
        os.chmod(fd, 0o600)
        """, lambda d: (d / "victim").stat().st_mode & 0o777 != 0o666, True),
    "fd chown": ("""
        fd = os.open(os.path.join(OUT, "victim"), os.O_RDONLY)
        os.chown(fd, 4321, 4321)
        """, lambda d: (d / "victim").stat().st_uid == 4321, True),
    "fd utime": ("""
        fd = os.open(os.path.join(OUT, "victim"), os.O_RDONLY)
        os.utime(fd, (0, 0))
        """, lambda d: (d / "victim").stat().st_mtime == 0, True),
    "truncate": ("""
        fd = os.open(os.path.join(OUT, "victim"), os.O_RDONLY)
        os.truncate(os.path.join(OUT, "victim"), 0)
        """, lambda d: (d / "victim").read_text() == "", True),
    "os.system": ("""
        os.system("echo hacked > " + os.path.join(OUT, "system"))
        """, lambda d: (d / "system").exists(), True),
    "subprocess": ("""
        import subprocess
        subprocess.run(["touch", os.path.join(OUT, "subprocess")])
        """, lambda d: (d / "subprocess").exists(), True),
    "multiprocessing spawn": ("""
        import multiprocessing
        def write(path):
            open(path, "w").write("hacked")
        if __name__ == "__main__":
            p = multiprocessing.get_context("spawn").Process(target=write, args=(os.path.join(OUT, "mp"),))
            p.start(); p.join()
        """, lambda d: (d / "mp").exists(), True),
    "multiprocessing fork": ("""
        import multiprocessing
        def write(path):
            open(path, "w").write("hacked")
        p = multiprocessing.get_context("fork").Process(target=write, args=(os.path.join(OUT, "mpf"),))
        p.start(); p.join()
        """, lambda d: (d / "mpf").exists(), True),
    "sqlite3": ("""
        import sqlite3
        con = sqlite3.connect(os.path.join(OUT, "db.sqlite"))
        con.execute("create table t (x)"); con.commit()
        """, lambda d: (d / "db.sqlite").exists(), True),
    "ctypes": ("""
        import ctypes
        libc = ctypes.CDLL(None)
        libc.creat(os.path.join(OUT, "ctypes").encode(), 0o644)
        """, lambda d: (d / "ctypes").exists(), True),
    "mkfifo": ("""
        os.mkfifo(os.path.join(OUT, "fifo"))
        """, lambda d: (d / "fifo").exists(), False),
    "AF_UNIX bind": ("""
        import socket
        s = socket.socket(socket.AF_UNIX)
        s.bind(os.path.join(OUT, "sock"))
        """, lambda d: (d / "sock").exists(), True),
    "symlink": ("""
        os.symlink("/etc/passwd", os.path.join(OUT, "link"))
        """, lambda d: (d / "link").is_symlink(), True),
}


@pytest.mark.parametrize("sandboxed", MODES)
@pytest.mark.parametrize("name", list(FILE_ESCAPES))
def test_file_system_escape(tmp_path, outside, name, sandboxed):
    body, happened, fallback_blocks = FILE_ESCAPES[name]
    before = sorted(p.name for p in outside.iterdir())
    r = run(tmp_path, f"import os\nOUT = {str(outside)!r}\n" + textwrap.dedent(body), sandboxed)
    effect = happened(outside)
    assert_prevented_or_reported(r, effect, sandboxed, fallback_blocks)
    if sandboxed or fallback_blocks:
        assert sorted(p.name for p in outside.iterdir()) == before
        assert (outside / "victim").read_text() == "original\n"


@pytest.mark.parametrize("sandboxed", MODES)
def test_dev_shm_is_private(tmp_path, sandboxed):
    name = f"fixorder-escape-{uuid.uuid4().hex}"
    r = run(tmp_path, f"open('/dev/shm/{name}', 'w').write('x')\n", sandboxed)
    try:
        assert not os.path.exists(f"/dev/shm/{name}")
    finally:
        if os.path.exists(f"/dev/shm/{name}"):
            os.unlink(f"/dev/shm/{name}")
    if not sandboxed:
        assert "write refused" in r.reason


@pytest.mark.parametrize("sandboxed", MODES)
def test_caught_refused_write_is_unverified(tmp_path, outside, sandboxed):
    r = run(tmp_path, f"""
        try:
            open({str(outside / "caught")!r}, "w").write("x")
        except Exception:
            pass
        """, sandboxed)
    assert not (outside / "caught").exists()
    assert "caught the error" in r.reason and "write refused" in r.reason


# -- the network: only listeners this test starts on 127.0.0.1 ---------------------------------------

@pytest.fixture
def tcp_listener():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    srv.settimeout(0.5)
    yield srv
    srv.close()


@pytest.fixture
def udp_listener():
    srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    srv.bind(("127.0.0.1", 0))
    srv.settimeout(0.5)
    yield srv
    srv.close()


def _accepted(srv) -> bool:
    try:
        conn, _ = srv.accept()
    except (TimeoutError, socket.timeout):
        return False
    conn.close()
    return True


def _received(srv) -> bool:
    try:
        srv.recv(100)
    except (TimeoutError, socket.timeout):
        return False
    return True


NETWORK_ESCAPES = {
    "_socket": """
        import _socket
        s = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
        s.connect(("127.0.0.1", PORT))
        """,
    "socket.connect_ex": """
        import socket
        s = socket.socket()
        s.connect_ex(("127.0.0.1", PORT))
        """,
    "subprocess": """
        import subprocess, sys
        subprocess.run([sys.executable, "-c",
                        f"import socket; socket.create_connection(('127.0.0.1', {PORT}))"])
        """,
}


@pytest.mark.parametrize("sandboxed", MODES)
@pytest.mark.parametrize("name", list(NETWORK_ESCAPES))
def test_tcp_to_localhost_does_not_arrive(tmp_path, tcp_listener, name, sandboxed):
    port = tcp_listener.getsockname()[1]
    r = run(tmp_path, f"PORT = {port}\n" + textwrap.dedent(NETWORK_ESCAPES[name]), sandboxed)
    assert not _accepted(tcp_listener), r.reason


@pytest.mark.parametrize("sandboxed", MODES)
def test_udp_to_localhost_does_not_arrive(tmp_path, udp_listener, sandboxed):
    port = udp_listener.getsockname()[1]
    r = run(tmp_path, f"""
        import socket
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.sendto(b"hello", ("127.0.0.1", {port}))
        except Exception:
            pass
        """, sandboxed)
    assert not _received(udp_listener), r.reason
    assert "caught the error" in r.reason or "network" in r.reason.lower()


@pytest.mark.parametrize("sandboxed", MODES)
def test_caught_network_attempt_is_unverified(tmp_path, tcp_listener, sandboxed):
    port = tcp_listener.getsockname()[1]
    r = run(tmp_path, f"""
        import socket
        try:
            socket.create_connection(("127.0.0.1", {port}), timeout=2)
        except Exception:
            pass
        """, sandboxed)
    assert not _accepted(tcp_listener)
    assert "caught the error" in r.reason and "network access refused" in r.reason


# -- processes ------------------------------------------------------------------------------------

def _running(marker: str, also: str = "") -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmd = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if marker.encode() in cmd and also.encode() in cmd:
                found.append(int(entry))
    return found


def _gone(marker: str, within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not _running(marker):
            return True
        time.sleep(0.1)
    for pid in _running(marker):  # do not leave it behind for the other tests
        os.kill(pid, signal.SIGKILL)
    return False


def _sleep_marker() -> str:
    return f"{40 + uuid.uuid4().int % 10_000 / 10_000:.4f}"  # a unique `sleep` argument


@pytest.mark.parametrize("sandboxed", MODES)
def test_setsid_child_does_not_outlive_verify(tmp_path, sandboxed):
    marker = _sleep_marker()
    r = run(tmp_path, f"""
        import subprocess
        subprocess.Popen(["sleep", "{marker}"], start_new_session=True)
        """, sandboxed)
    assert _gone(marker), r.reason


@pytest.mark.parametrize("sandboxed", MODES)
def test_double_forked_child_does_not_outlive_verify(tmp_path, sandboxed):
    marker = _sleep_marker()
    r = run(tmp_path, f"""
        import os
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.execvp("sleep", ["sleep", "{marker}"])
            os._exit(0)
        os.wait()
        """, sandboxed)
    assert _gone(marker), r.reason


@pytest.mark.parametrize("sandboxed", MODES)
def test_killing_verify_kills_the_script(tmp_path, sandboxed):
    marker = f"escape_killed_{uuid.uuid4().hex[:8]}"
    script = tmp_path / f"{marker}.py"
    script.write_text("import time\ntime.sleep(60)\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if not sandboxed:
        env["FIXORDER_VERIFY_NO_SANDBOX"] = "1"
    # The command line verify, as a user runs it; its child imports TensorFlow first, so wait
    # until the script's own process is there.
    proc = subprocess.Popen([sys.executable, "-m", "fixorder.verify", "--timeout", "120", str(script)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while not _running(marker, "fixorder.verify._child") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _running(marker, "fixorder.verify._child"), "the verification child never started"
        time.sleep(0.5)
        proc.kill()
        proc.wait()
        assert _gone(marker)
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.mark.parametrize("sandboxed", MODES)
def test_fork_bomb_is_bounded(tmp_path, sandboxed):
    # Bounded on purpose (at most 3000 forks, each child exits after 3 s) should the limit fail.
    r = run(tmp_path, """
        import os, time
        n = 0
        try:
            for n in range(3000):
                if os.fork() == 0:
                    time.sleep(3)
                    os._exit(0)
        except Exception as exc:
            raise SystemExit(f"fork stopped after {n} children: {exc}")
        raise SystemExit("fork never stopped")
        """, sandboxed)
    assert "never stopped" not in r.reason
    if sandboxed:
        n = int(r.reason.split("stopped after ")[1].split()[0])
        assert n <= sandbox.Limits().processes, r.reason
    else:
        assert "os.fork" in r.reason and "refused" in r.reason


# -- limits ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("sandboxed", MODES)
def test_memory_limit_cannot_be_raised(tmp_path, sandboxed):
    r = run(tmp_path, """
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        raise SystemExit("raised the memory limit")
        """, sandboxed)
    raised = "raised the memory limit" in r.reason
    if sandboxed or os.geteuid() != 0:
        assert not raised and "not allowed to raise" in r.reason, r.reason
    else:  # root outside a sandbox may raise hard limits: said, not prevented
        assert_prevented_or_reported(r, raised, sandboxed, fallback_blocks=False)


@pytest.mark.parametrize("sandboxed", MODES)
def test_output_is_capped(tmp_path, sandboxed):
    r = run(tmp_path, """
        import sys
        chunk = b"x" * (1 << 20)
        for _ in range(3 << 10):  # 3 GiB
            sys.stdout.buffer.write(chunk)
        """, sandboxed)
    assert "output limit" in r.reason, r.reason


@pytest.mark.parametrize("sandboxed", MODES)
def test_environment_is_scrubbed(tmp_path, monkeypatch, sandboxed):
    secret = f"s3cret-{uuid.uuid4().hex}"
    monkeypatch.setenv("FIXORDER_TEST_SECRET_TOKEN", secret)
    r = run(tmp_path, """
        import os
        raise RuntimeError(" ".join(f"{k}={v}" for k, v in sorted(os.environ.items())))
        """, sandboxed)
    assert "RuntimeError" in r.reason
    assert secret not in r.reason and "FIXORDER_TEST_SECRET_TOKEN" not in r.reason
    names = {kv.split("=", 1)[0] for kv in r.reason.split("RuntimeError: ")[1].split() if "=" in kv}
    assert names <= set(sandbox.KEPT_ENVIRONMENT) | {
        "HOME", "TMPDIR", "TMP", "TEMP", "PWD", "KERAS_HOME", "KERAS_BACKEND", "MPLBACKEND", "MPLCONFIGDIR",
        "CUDA_VISIBLE_DEVICES", "TF_CPP_MIN_LOG_LEVEL", "PYTHONDONTWRITEBYTECODE", "PYTHONHASHSEED",
        "PYTHONPATH", "TF_USE_LEGACY_KERAS", "LC_CTYPE"}, names


FORGED = {"status": "ok", "error": None, "backbones": [{
    "index": 0, "name": "MobileNetV2", "framework": "keras3", "requested_weights": "imagenet",
    "include_preprocessing": None, "file": None, "line": 1, "probe_error": None, "probe_layer": "Conv1",
    "observed": {"per_channel": [[-1.0, 1.0]] * 3, "nonfinite": 0}}], "refusals": [], "probes": []}


@pytest.mark.parametrize("sandboxed", MODES)
def test_forged_result_does_not_pass(tmp_path, sandboxed):
    r = run(tmp_path, f"""
        import json, os
        forged = json.dumps({FORGED!r})
        for name in ("result.json", "../result.json"):
            try:
                open(name, "w").write(forged)
            except Exception:
                pass
        for fd in os.listdir("/proc/self/fd"):
            try:
                os.write(int(fd), forged.encode() + b"\\n")
            except OSError:
                pass
        os._exit(0)
        """, sandboxed)
    assert r.verdict != PASS
    assert "result" in r.reason, r.reason


# -- --require-sandbox -------------------------------------------------------------------------------

def _cli(*args, env_extra=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT), **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "fixorder.verify", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def test_require_sandbox_without_one_is_an_error_before_anything_runs(tmp_path):
    marker = tmp_path / "ran"
    script = tmp_path / "train.py"
    script.write_text(f"open({str(marker)!r}, 'w').write('x')\n")
    done = _cli("--require-sandbox", str(script), env_extra={"FIXORDER_VERIFY_NO_SANDBOX": "1"})
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "no sandbox" in lines[0] and "--require-sandbox" in lines[0], done.stderr
    assert done.stdout == "" and not marker.exists()
    contradiction = _cli("--require-sandbox", "--no-sandbox", str(script))
    assert contradiction.returncode == 2 and "contradict" in contradiction.stderr


@pytest.mark.skipif(not SANDBOX.isolated, reason=SANDBOX.description)
def test_require_sandbox_with_one_runs(tmp_path):
    script = tmp_path / "train.py"
    script.write_text("x = 1\n")
    done = _cli("--require-sandbox", "--whole-script", "--output-format", "json", str(script))
    rows = json.loads(done.stdout)
    assert rows[0]["isolated"] is True and rows[0]["isolation"].startswith("sandboxed: ")
    assert done.returncode == 2  # no backbone: nothing verified, but it ran
