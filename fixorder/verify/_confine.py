"""Python-level guards in the verification child: refuse (and record) writes outside its
temporary directory, network use and, when not sandboxed, starting processes or native code.

In the sandbox these are not what protects the machine (the kernel does: read-only mounts, no
network, PID namespace); they make a refused action visible, so that a script which catches the
error still gets UNVERIFIED rather than PASS.  In the fallback (not isolated) they are the only
protection, and they do not see native code or ``os.open(..., dir_fd=)`` / ``os.mkfifo`` (no
audit event), which is why such reports say "not isolated".

The hook is a CPython audit hook: it sees ``open``, the ``os`` file-system calls, sockets,
``sqlite3.connect``, ``ctypes`` and process creation made from Python.
"""

from __future__ import annotations

import os
import socket
import sys
import threading

# Audit events that create, change or remove files: which arguments are paths, and the argument
# holding the matching dir_fd (None: the call has no dir_fd argument).
_PATH_ARGUMENTS = {
    "os.remove": ((0, 1),), "os.rmdir": ((0, 1),), "os.mkdir": ((0, 2),), "os.truncate": ((0, None),),
    "os.rename": ((0, 2), (1, 3)), "os.link": ((0, 2), (1, 3)), "os.symlink": ((1, 2),),
    "os.chmod": ((0, 2),), "os.chown": ((0, 3),), "os.utime": ((0, 3),), "os.chflags": ((0, None),),
    "shutil.rmtree": ((0, None),), "shutil.copyfile": ((1, None),), "shutil.copytree": ((1, None),),
    "shutil.move": ((0, None), (1, None)), "os.removexattr": ((0, None),), "os.setxattr": ((0, None),),
    "sqlite3.connect": ((0, None),),
}
# Events that start processes or load native code: refused when not sandboxed, where they would
# walk around every other guard.
_UNSANDBOXED_REFUSALS = {
    "os.system": "os.system", "subprocess.Popen": "subprocess", "os.posix_spawn": "os.posix_spawn",
    "os.exec": "os.exec*", "os.spawn": "os.spawn*", "os.fork": "os.fork (multiprocessing?)",
    "os.forkpty": "os.forkpty", "ctypes.dlsym": "ctypes", "ctypes.call_function": "ctypes",
}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
_ALWAYS_ALLOWED = ("/dev/null", "/dev/zero", "/dev/full", "/dev/tty", "/dev/stdout", "/dev/stderr")
_INET = (socket.AF_INET, socket.AF_INET6)


def _resolve(path, dir_fd) -> str | None:
    """The absolute path an audited call acts on (None when it cannot be known or is not a path)."""
    if path is None:
        return None
    if isinstance(path, int):
        try:  # fd-based chmod/chown/utime/truncate: where the descriptor points
            return os.readlink(f"/proc/self/fd/{path}")
        except OSError:
            return None
    try:
        text = os.fsdecode(path)
    except TypeError:
        return None
    if text in ("", ":memory:") or text.startswith("file::memory:"):
        return None
    if text.startswith("file:"):
        text = text[5:].split("?", 1)[0]
    if not os.path.isabs(text) and isinstance(dir_fd, int) and dir_fd >= 0:
        try:
            text = os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), text)
        except OSError:
            return text
    return text


def confine(root: str, refuse, sandboxed: bool) -> None:
    """Install the hook.  ``refuse(kind, message)`` records the refusal and raises."""
    allowed = os.path.join(os.path.realpath(root), "")
    busy = threading.local()

    def outside(path, dir_fd=None) -> str | None:
        text = _resolve(path, dir_fd)
        if text is None:
            return None
        real = os.path.realpath(text)
        if os.path.join(real, "").startswith(allowed) or real in _ALWAYS_ALLOWED:
            return None
        return text

    def check(event: str, args: tuple) -> None:
        if event == "open":
            path, mode, flags = args
            writing = (mode is not None and any(c in mode for c in "wax+")) or \
                (mode is None and isinstance(flags, int) and flags & _WRITE_FLAGS)
            if writing and (bad := outside(path)) is not None:
                refuse("write", f"write refused: {bad!r} is outside verify's temporary directory")
            return
        if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
            sock, address = args[0], args[-1]
            if getattr(sock, "family", None) in _INET and address is not None:
                refuse("network", f"network access refused ({event.split('.')[1]} to {address!r}); "
                                  "fixorder verify runs without network")
            return
        if event == "socket.bind":
            sock, address = args
            if getattr(sock, "family", None) == getattr(socket, "AF_UNIX", None) and \
                    isinstance(address, (str, bytes)) and not address.startswith(("\0", b"\0")) and \
                    (bad := outside(address)) is not None:
                refuse("write", f"write refused: a socket bound at {bad!r}, outside verify's temporary directory")
            return
        if not sandboxed and (what := _UNSANDBOXED_REFUSALS.get(event)):
            refuse("process", f"{what} refused: not isolated, so fixorder verify does not let the "
                              "script start processes or load native code")
        positions = _PATH_ARGUMENTS.get(event)
        if positions is None:
            return
        for index, fd_index in positions:
            if index < len(args):
                dir_fd = args[fd_index] if fd_index is not None and fd_index < len(args) else None
                if (bad := outside(args[index], dir_fd)) is not None:
                    refuse("write", f"write refused: {event}({bad!r}) is outside verify's temporary directory")

    def hook(event: str, args: tuple) -> None:
        if getattr(busy, "on", False):
            return
        busy.on = True
        try:
            check(event, args)
        finally:
            busy.on = False

    sys.addaudithook(hook)
    if not sandboxed:
        _refuse_fork_exec(refuse)


def _refuse_fork_exec(refuse) -> None:
    """multiprocessing's spawn starts its interpreter through ``_posixsubprocess.fork_exec``,
    which raises no audit event: replace it (a Python-level guard, like the rest of the fallback)."""
    try:
        import _posixsubprocess
    except ImportError:
        return

    def fork_exec(*args, **kwargs):
        refuse("process", "starting a process (_posixsubprocess.fork_exec, multiprocessing spawn?) refused: "
                          "not isolated, so fixorder verify does not let the script start processes")

    _posixsubprocess.fork_exec = fork_exec
