"""Running the real ``fixorder`` command line in a subprocess, as a user would."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
import sys
from pathlib import Path
from typing import Iterator

NOBODY_UID = 65534


# Python itself lives under /root here, which nobody cannot enter: the child starts as root,
# imports fixorder (and what it loads lazily), then drops to nobody before running the command.
_AS_NOBODY = """
import os, sys
import importlib, pkgutil, encodings.latin_1, encodings.utf_8_sig, json, libcst, libcst.metadata
import multiprocessing, multiprocessing.pool, multiprocessing.popen_fork, concurrent.futures, difflib, tempfile, hashlib
import fixorder
for info in pkgutil.walk_packages(fixorder.__path__, "fixorder."):
    if ".verify" not in info.name and not info.name.endswith("__main__"):
        importlib.import_module(info.name)
import fixorder.cli, fixorder.catalog
fixorder.catalog.load()
os.setgroups([])
os.setgid({uid})
os.setuid({uid})
sys.argv = ["fixorder", *sys.argv[1:]]
fixorder.cli.main(prog_name="fixorder")
""".format(uid=NOBODY_UID)


def run_fixorder(*args: str | Path, cwd: Path | None = None, unprivileged: bool = False,
                 timeout: float = 120) -> subprocess.CompletedProcess:
    """``python -m fixorder ARGS``; with ``unprivileged`` as the user nobody when we are root.

    Tests run as root here, and root ignores file permissions: dropping to nobody is the only
    honest way to meet a permission-denied file or directory.
    """
    entry = ["-c", _AS_NOBODY] if unprivileged and os.geteuid() == 0 else ["-m", "fixorder"]
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, *entry, *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def error_lines(proc: subprocess.CompletedProcess) -> list[str]:
    return [line for line in proc.stderr.splitlines() if line.startswith("fixorder: error:")]


@contextmanager
def reachable_directory() -> Iterator[Path]:
    """A fresh directory the unprivileged user can reach (pytest's tmp_path is private to root)."""
    top = Path(tempfile.mkdtemp(prefix="fixorder-test-"))
    os.chmod(top, 0o755)
    try:
        yield top
    finally:
        for root, dirs, _ in os.walk(top):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
        shutil.rmtree(top)
