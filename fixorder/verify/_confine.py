"""Keep the verified script's writes inside the child's temporary directory.

Relative paths already land there (the child's working directory, HOME and TMPDIR are inside
it); this catches absolute ones (``model.save("/data/models/m.keras")``, ``open("../x", "w")``)
with a CPython audit hook, which sees every ``open`` and file-system call made from Python.
A refused write raises into the script, which then stops: the result is UNVERIFIED with the
path in the reason, and the user's file system is untouched.

Not covered: native code that writes without going through Python (h5py's HDF5 library,
TensorFlow's C++ file system for ``tf.io.gfile`` and SavedModel).  README says so.
"""

from __future__ import annotations

import os
import sys

# Audit events that create, change or remove files, and which of their arguments are paths.
_PATH_ARGUMENTS = {
    "os.remove": (0,), "os.rmdir": (0,), "os.mkdir": (0,), "os.truncate": (0,),
    "os.rename": (0, 1), "os.link": (0, 1), "os.symlink": (1,), "os.chmod": (0,),
    "os.chown": (0,), "os.utime": (0,), "shutil.rmtree": (0,), "shutil.copyfile": (1,),
    "shutil.copytree": (1,), "shutil.move": (0, 1), "os.removexattr": (0,), "os.setxattr": (0,),
}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
_ALWAYS_ALLOWED = ("/dev/",)  # /dev/null and friends


def confine_writes(root: str, refuse) -> None:
    """Install the hook: writes outside ``root`` call ``refuse(message)``, which must raise."""
    allowed = (os.path.join(os.path.realpath(root), ""),) + _ALWAYS_ALLOWED

    def outside(path) -> str | None:
        if isinstance(path, int) or path is None:
            return None  # a file descriptor: opening it was checked
        try:
            text = os.fsdecode(path)
        except TypeError:
            return None
        real = os.path.realpath(text)
        if os.path.join(real, "").startswith(allowed):  # the root itself, or anything under it
            return None
        return text

    def hook(event: str, args: tuple) -> None:
        if event == "open":
            path, mode, flags = args
            writing = (mode is not None and any(c in mode for c in "wax+")) or \
                (mode is None and isinstance(flags, int) and flags & _WRITE_FLAGS)
            if writing:
                bad = outside(path)
                if bad is not None:
                    refuse(f"write refused: {bad!r} is outside verify's temporary directory")
            return
        positions = _PATH_ARGUMENTS.get(event)
        if positions is None:
            return
        for index in positions:
            if index < len(args):
                bad = outside(args[index])
                if bad is not None:
                    refuse(f"write refused: {event}({bad!r}) is outside verify's temporary directory")

    sys.addaudithook(hook)
