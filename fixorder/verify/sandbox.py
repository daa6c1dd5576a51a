"""Where the verification child runs: inside a bubblewrap sandbox, or (fallback) not isolated.

Sandboxed (``bwrap`` on PATH and namespaces usable), the child gets:

* a new network namespace; when fixorder runs as root it is made before bubblewrap starts, so
  not even loopback is up (bubblewrap itself would bring ``lo`` up, private to the sandbox);
* a read-only view of the whole file system, with only its temporary directory writable (plus a
  private, size-limited ``/dev/shm``); ``/proc`` and ``/dev`` are the sandbox's own;
* a PID namespace: when the supervisor kills the sandbox, or dies (``--die-with-parent``), every
  process the script started dies with it, ``setsid`` and double-forked ones included;
* when run as root, an unprivileged user id of its own and no capabilities, so that the hard
  process-count limit applies (the kernel does not count root's processes) and nothing can be
  remounted writable; directories a stranger cannot enter (``/root``) are replaced by an empty
  directory holding only what the child needs to read (the interpreter, site-packages, fixorder,
  the script's directory).

In both modes the supervisor sets hard resource limits before the child starts (the child
cannot raise them), passes a scrubbed environment, caps stdout/stderr, and reads the result
from a pipe it owns (see :mod:`fixorder.verify.runner`).
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CLONE_NEWNET = 0x40000000
PR_SET_PDEATHSIG = 1
SHM_BYTES = 64 << 20
# Environment variables the child keeps from the caller (locale and the executable search path).
KEPT_ENVIRONMENT = ("PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_NUMERIC", "TZ")
# The user id range for sandboxed children when fixorder runs as root: high, unused by accounts.
SANDBOX_UID_RANGE = (1_800_000_000, 1_900_000_000)

# A tiny program that runs as root inside the sandbox only long enough to drop to the sandbox
# user id (bubblewrap keeps only CAP_SETUID and CAP_SETGID for it), then execs the child.
_DROP_PRIVILEGES = ("import os,sys; u=int(sys.argv[1]); os.setgroups([]); os.setresgid(u,u,u); "
                    "os.setresuid(u,u,u); os.execv(sys.argv[2], sys.argv[2:])")


@dataclass(frozen=True)
class Limits:
    """Hard limits for the child; 0 means no limit."""
    address_space: int = 8 << 30    # bytes, per process (RLIMIT_AS)
    processes: int = 512            # processes and threads of the sandbox user (RLIMIT_NPROC)
    file_size: int = 1 << 30        # bytes, largest file the child may write (RLIMIT_FSIZE)
    cpu_seconds: int = 0            # per process (RLIMIT_CPU); the runner derives it from the timeout
    output_bytes: int = 32 << 20    # stdout + stderr allowed before the child is stopped


@dataclass(frozen=True)
class Isolation:
    isolated: bool
    description: str  # "sandboxed: ..." or "not isolated: <reason>"


class SandboxRequired(RuntimeError):
    """``--require-sandbox`` and no sandbox is available."""


def _as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _libc():
    import ctypes

    return ctypes.CDLL(None, use_errno=True)


def _unshare_network() -> bool:
    try:
        return _libc().unshare(CLONE_NEWNET) == 0
    except Exception:
        return False


@lru_cache(maxsize=1)
def probe() -> Isolation:
    """Can bubblewrap build the sandbox here?  Checked once per process with a trivial run."""
    if not sys.platform.startswith("linux"):
        return Isolation(False, f"not isolated: bubblewrap sandboxes need Linux (this is {sys.platform})")
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return Isolation(False, "not isolated: bubblewrap (bwrap) is not installed")
    args = _namespace_arguments() + ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "true"]
    try:
        done = subprocess.run([bwrap, *args], capture_output=True, timeout=30, stdin=subprocess.DEVNULL,
                              preexec_fn=_unshare_network if _as_root() else None)
    except (OSError, subprocess.SubprocessError) as exc:
        return Isolation(False, f"not isolated: bubblewrap could not start: {exc}")
    if done.returncode != 0:
        why = done.stderr.decode(errors="replace").strip().splitlines()
        return Isolation(False, "not isolated: bubblewrap cannot create namespaces here"
                                + (f" ({why[-1]})" if why else ""))
    if _as_root():
        # The unprivileged sandbox user must be able to start this Python and import fixorder.
        uid = sandbox_uid()
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        check = command([sys.executable, "-c", "import fixorder.verify._child"], "/tmp", "/", Isolation(True, ""),
                        Limits(), {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                                   "PYTHONPATH": os.path.dirname(root)}, [os.path.dirname(root)], uid)
        try:
            done = subprocess.run(check, capture_output=True, timeout=60, stdin=subprocess.DEVNULL,
                                  preexec_fn=_unshare_network)
        except (OSError, subprocess.SubprocessError) as exc:
            return Isolation(False, f"not isolated: the sandbox could not start Python: {exc}")
        if done.returncode != 0:
            why = done.stderr.decode(errors="replace").strip().splitlines()
            return Isolation(False, "not isolated: the sandbox's unprivileged user cannot start this Python"
                                    + (f" ({why[-1]})" if why else ""))
        return Isolation(True, "sandboxed: bubblewrap, no network (not even loopback), read-only file "
                               "system except its temporary directory, own PID namespace, unprivileged "
                               "user, hard limits")
    return Isolation(True, "sandboxed: bubblewrap, own network namespace (only a private loopback), "
                           "read-only file system except its temporary directory, own PID namespace, "
                           "hard limits")


def _namespace_arguments() -> list[str]:
    common = ["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent", "--new-session"]
    if _as_root():
        # The network namespace is made in the pre-exec (loopback stays down); capabilities are
        # dropped except those the privilege-dropping step needs for an instant.
        return common + ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    return common + ["--unshare-user", "--unshare-net", "--disable-userns"]


def choose(enabled: bool, required: bool) -> Isolation:
    """The isolation the next child gets; raises SandboxRequired when required and unavailable."""
    found = probe() if enabled else Isolation(False, "not isolated: the sandbox was turned off (--no-sandbox)")
    if required and not found.isolated:
        raise SandboxRequired(found.description.replace("not isolated: ", "no sandbox: ", 1))
    return found


def sandbox_uid() -> int | None:
    """A fresh unprivileged user id for one sandboxed child (root only; None otherwise)."""
    return random.randrange(*SANDBOX_UID_RANGE) if _as_root() else None


def scrubbed_environment(extra: dict[str, str]) -> dict[str, str]:
    env = {k: os.environ[k] for k in KEPT_ENVIRONMENT if k in os.environ}
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    env.update(extra)
    return env


def _rlimits(limits: Limits) -> list[tuple[int, int]]:
    out = []
    for name, value in (("RLIMIT_AS", limits.address_space), ("RLIMIT_FSIZE", limits.file_size),
                        ("RLIMIT_CPU", limits.cpu_seconds), ("RLIMIT_CORE", 0)):
        if (value or name == "RLIMIT_CORE") and hasattr(resource, name):
            out.append((getattr(resource, name), value))
    return out


def pre_exec(limits: Limits, isolation: Isolation):
    """The function run in the forked supervisor child before exec: hard limits, death signal and,
    as root, the sandbox's network namespace.  Hard limits (soft = hard) cannot be raised by the
    unprivileged child; as root in the fallback they can, and the report says not isolated."""
    rlimits = _rlimits(limits)
    count_processes = isolation.isolated and limits.processes
    as_root = _as_root()
    own_processes = 0 if as_root or not count_processes else _processes_of_this_user()

    def run() -> None:
        if isolation.isolated and as_root and not _unshare_network():
            os._exit(125)
        for which, value in rlimits:
            try:
                resource.setrlimit(which, (value, value))
            except (ValueError, OSError):
                pass
        if count_processes:
            try:
                n = limits.processes + own_processes
                resource.setrlimit(resource.RLIMIT_NPROC, (n, n))
            except (ValueError, OSError):
                pass
        try:  # the child dies with the supervisor (bubblewrap's --die-with-parent does the rest)
            import signal

            _libc().prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except Exception:
            pass

    return run


def _processes_of_this_user() -> int:
    uid = os.getuid()
    n = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    n += len(os.listdir(f"/proc/{entry}/task"))
            except OSError:
                pass
    return n


def _enterable_by_strangers(path: str) -> bool:
    try:
        return bool(os.stat(path).st_mode & stat.S_IXOTH)
    except OSError:
        return True  # missing: nothing to hide or bind


def _reading_mounts(needed: list[str]) -> list[str]:
    """bwrap arguments that let an unprivileged stranger read ``needed``: each closed ancestor
    directory (not enterable by others, such as /root) becomes an empty tmpfs, and each needed path
    below it is bound back read-only."""
    closed: set[str] = set()
    binds: list[str] = []
    for p in sorted({os.path.realpath(p) for p in needed if p and os.path.exists(p)}, key=len):
        parts = Path(p).parts
        top = None
        for i in range(2, len(parts)):
            ancestor = os.path.join(*parts[:i])
            if any(ancestor == c or ancestor.startswith(c + os.sep) for c in closed):
                top = top or ancestor
                break
            if not _enterable_by_strangers(ancestor):
                top = ancestor
                closed.add(ancestor)
                break
        if top is not None and not any(p == b or p.startswith(b + os.sep) for b in binds):
            binds.append(p)
    args: list[str] = []
    for c in sorted(closed, key=len):
        args += ["--tmpfs", c]
    made: set[str] = set()
    for b in binds:
        # bubblewrap would make the missing directories between the tmpfs and the bound path
        # 0700; they must be enterable.
        top = next(c for c in closed if b.startswith(c + os.sep))
        for i in range(len(Path(top).parts) + 1, len(Path(b).parts)):
            d = os.path.join(*Path(b).parts[:i])
            if d not in made:
                made.add(d)
                args += ["--perms", "0755", "--dir", d]
        args += ["--ro-bind", b, b]
    return args


def needed_for_reading(extra: list[str]) -> list[str]:
    paths = [sys.base_prefix, sys.prefix, sys.executable, os.path.realpath(sys.executable)]
    paths += [p for p in sys.path if p and os.path.isdir(p)]
    return paths + list(extra)


def command(argv: list[str], root: str, cwd: str, isolation: Isolation, limits: Limits,
            env: dict[str, str], readable: list[str], uid: int | None) -> list[str]:
    """The full command line: ``argv`` itself in the fallback, or wrapped in bubblewrap."""
    if not isolation.isolated:
        return list(argv)
    args = [shutil.which("bwrap") or "bwrap", *_namespace_arguments(), "--ro-bind", "/", "/",
            "--dev", "/dev", "--proc", "/proc",
            "--perms", "1777", "--size", str(SHM_BYTES), "--tmpfs", "/dev/shm"]
    if uid is not None:
        args += _reading_mounts(needed_for_reading(readable))
    args += ["--bind", root, root, "--chdir", cwd, "--clearenv"]
    for k, v in env.items():
        args += ["--setenv", k, v]
    args.append("--")
    if uid is not None:
        return args + [argv[0], "-I", "-S", "-c", _DROP_PRIVILEGES, str(uid), *argv]
    return args + list(argv)


def give_to(path: str, uid: int | None) -> None:
    """Hand the sandbox's temporary tree to its user id (root only)."""
    if uid is None:
        return
    # Enterable by the sandbox's own root (it has no CAP_DAC_OVERRIDE) until it drops to ``uid``.
    os.chmod(path, 0o711)
    for dirpath, dirnames, filenames in os.walk(path):
        os.chown(dirpath, uid, uid)
        for name in filenames:
            os.chown(os.path.join(dirpath, name), uid, uid)
