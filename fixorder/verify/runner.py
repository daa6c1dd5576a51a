"""Run scripts under instrumentation, each in a fresh subprocess, and judge what they fed.

The user's script never runs in the calling process.  Per script:

* a temporary directory holds the child's working directory (``work/``), ``HOME``, ``TMPDIR``,
  the generated images and the JSON result file; it is removed afterwards;
* the child is ``sys.executable -m fixorder.verify._child`` in its own process group; the parent
  kills the whole group when the time limit passes;
* the child limits its address space (``RLIMIT_AS``, 8 GiB by default) before importing TensorFlow;
* any crash, non-zero exit, refusal or timeout becomes UNVERIFIED with the reason.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fixorder.verify.notebook import is_notebook, notebook_to_script
from fixorder.verify.results import UNVERIFIED, VerifyResult, results_from_payload

DEFAULT_TIMEOUT = 120.0
DEFAULT_MEMORY_LIMIT = 8 << 30  # bytes of address space for the child (RLIMIT_AS)


def _package_root() -> str:
    import fixorder

    return str(Path(fixorder.__file__).resolve().parent.parent)


def _child_env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    home = root / "home"
    tmp = root / "tmp"
    home.mkdir()
    tmp.mkdir()
    env.update({
        "HOME": str(home), "TMPDIR": str(tmp), "TMP": str(tmp), "TEMP": str(tmp),
        "KERAS_HOME": str(home / ".keras"),
        "KERAS_BACKEND": "tensorflow",
        "MPLBACKEND": "Agg",
        "CUDA_VISIBLE_DEVICES": "-1",
        "TF_CPP_MIN_LOG_LEVEL": env.get("TF_CPP_MIN_LOG_LEVEL", "2"),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
    })
    # The child must import this very fixorder, wherever it was loaded from.
    pkg = _package_root()
    env["PYTHONPATH"] = pkg + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _tail(path: Path, n: int = 6) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    lines = [ln for ln in text.splitlines() if ln.strip()
             and not ln.startswith(("WARNING: All log messages", "I0000", "W0000", "E0000"))]
    return " | ".join(lines[-n:])


def run_child(script: str | os.PathLike, display_path: str | None = None, timeout: float = DEFAULT_TIMEOUT,
              memory_limit: int | None = DEFAULT_MEMORY_LIMIT, source_dir: str | None = None,
              python: str | None = None) -> tuple[dict | None, str | None, str]:
    """Run one script in a child process.  Returns (payload or None, failure reason, status)."""
    script = os.path.abspath(os.fspath(script))
    display_path = display_path or os.fspath(script)
    source_dir = source_dir or os.path.dirname(script)
    root = Path(tempfile.mkdtemp(prefix="fixorder-verify-"))
    try:
        work = root / "work"
        work.mkdir()
        gen = root / "generated"
        gen.mkdir()
        out = root / "result.json"
        env = _child_env(root)
        cmd = [python or sys.executable, "-m", "fixorder.verify._child", "--script", script,
               "--display-path", display_path, "--source-dir", source_dir, "--source-dir", os.getcwd(),
               "--out", str(out), "--gen-root", str(gen),
               "--memory-limit", str(int(memory_limit or 0))]
        stdout = open(root / "stdout.txt", "wb")
        stderr = open(root / "stderr.txt", "wb")
        try:
            proc = subprocess.Popen(cmd, cwd=work, env=env, stdin=subprocess.DEVNULL, stdout=stdout,
                                    stderr=stderr, start_new_session=True)
        except OSError as exc:
            stdout.close()
            stderr.close()
            return None, f"could not start the verification process: {exc}", "crashed"
        timed_out = False
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            rc = None
        finally:
            # Always take down the whole group: the script may have left processes behind.
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            if rc is None:
                proc.wait()
            stdout.close()
            stderr.close()
        if timed_out:
            return None, f"time limit of {timeout:g} s exceeded; the script was stopped", "timeout"
        if out.exists():
            try:
                return json.loads(out.read_text(encoding="utf-8")), None, "ok"
            except (OSError, ValueError) as exc:
                return None, f"unreadable result from the verification process: {exc}", "crashed"
        if rc is not None and rc < 0:
            why = f"the verification process was killed by signal {-rc}"
            try:
                why += f" ({signal.Signals(-rc).name})"
            except ValueError:
                pass
            if -rc in (signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT):
                why += "; out of memory?" if -rc == signal.SIGKILL else ""
        else:
            why = f"the verification process ended with status {rc} before writing its result (os._exit in the script?)"
        tail = _tail(root / "stderr.txt")
        if tail:
            why += f": {tail}"
        return None, why, "crashed"
    finally:
        shutil.rmtree(root, ignore_errors=True)


def verify_script(path: str | os.PathLike, timeout: float = DEFAULT_TIMEOUT,
                  memory_limit: int | None = DEFAULT_MEMORY_LIMIT, display_path: str | None = None,
                  source_dir: str | None = None) -> list[VerifyResult]:
    """Run ``path`` under instrumentation in a subprocess; one VerifyResult per backbone it built."""
    display = display_path or os.fspath(path)
    if not os.path.isfile(path):
        return [VerifyResult(display, None, None, None, None, None, None, UNVERIFIED,
                             f"cannot read {display}: no such file", script_status="crashed",
                             script_error="no such file")]
    try:
        if is_notebook(path):
            return _verify_notebook(path, display, timeout, memory_limit, source_dir)
        payload, failure, status = run_child(path, display, timeout, memory_limit, source_dir)
        return results_from_payload(display, payload, failure, status)
    except Exception as exc:  # fixorder itself must not crash on a script
        return [VerifyResult(display, None, None, None, None, None, None, UNVERIFIED,
                             f"internal error while verifying: {type(exc).__name__}: {exc}",
                             script_status="crashed", script_error=str(exc))]


def _verify_notebook(path, display: str, timeout: float, memory_limit, source_dir) -> list[VerifyResult]:
    """Run a notebook's code cells as one script; report lines as (cell, line in cell)."""
    with open(path, encoding="utf-8") as fh:
        script, where = notebook_to_script(fh.read())
    fd, tmp = tempfile.mkstemp(prefix="fixorder-verify-nb-", suffix=".py")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(script)
        payload, failure, status = run_child(tmp, display, timeout, memory_limit,
                                             source_dir or os.path.dirname(os.path.abspath(path)))
    finally:
        os.unlink(tmp)
    el = payload.get("error_line") if payload else None
    if isinstance(el, int) and 0 < el <= len(where):
        cell, line = where[el - 1]
        payload["error_line"] = f"{line} of notebook cell {cell}"
    results = results_from_payload(display, payload, failure, status)
    for r in results:
        if not isinstance(r.line, int):
            r.line = None
            continue
        if r.path == display and r.line and 0 < r.line <= len(where):
            cell, line = where[r.line - 1]
            r.line = line
            r.reason += f" [notebook cell {cell}]"
    return results


def verify_scripts(paths, timeout: float = DEFAULT_TIMEOUT, memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
                   jobs: int | None = None) -> list[VerifyResult]:
    """Verify several scripts, ``jobs`` at a time (default: the number of CPUs, at most 4);
    results in the order of ``paths``."""
    paths = [os.fspath(p) for p in paths]
    if not paths:
        return []
    jobs = jobs or min(4, os.cpu_count() or 1)
    jobs = max(1, min(jobs, len(paths)))
    if jobs == 1:
        return [r for p in paths for r in verify_script(p, timeout, memory_limit)]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        per_path = list(pool.map(lambda p: verify_script(p, timeout, memory_limit), paths))
    return [r for rs in per_path for r in rs]


def verify_batch(paths, timeout: float = DEFAULT_TIMEOUT, memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
                 freeze_backbones: bool = False) -> list[list[VerifyResult]]:
    """Verify many scripts in one child process, so that TensorFlow starts once (a test corpus:
    the scripts share that process's modules and Keras state, which ``verify_script`` never
    does).  Each script still gets its own working directory and generated data, and the
    instrumentation is reset between scripts.  A script the batch did not get to write a result
    for (the process crashed, called ``os._exit`` or ran past ``timeout`` times the number of
    scripts) is verified again on its own, so every path gets its usual verdict.
    ``freeze_backbones`` builds every backbone with ``trainable=False``: a training step costs
    much less and the input that reaches the backbone is the same.  One list per path."""
    paths = [os.path.abspath(os.fspath(p)) for p in paths]
    if not paths:
        return []
    root = Path(tempfile.mkdtemp(prefix="fixorder-verify-batch-"))
    try:
        jobs = []
        for i, script in enumerate(paths):
            job_dir = root / f"job{i}"
            (job_dir / "work").mkdir(parents=True)
            (job_dir / "generated").mkdir()
            jobs.append({"script": script, "display_path": script, "out": str(job_dir / "result.json"),
                         "gen_root": str(job_dir / "generated"), "work": str(job_dir / "work"),
                         "source_dirs": [os.path.dirname(script), os.getcwd()]})
        spec = {"confine_root": str(root), "memory_limit": int(memory_limit or 0),
                "freeze_backbones": freeze_backbones, "jobs": jobs}
        (root / "jobs.json").write_text(json.dumps(spec), encoding="utf-8")
        cmd = [sys.executable, "-m", "fixorder.verify._batch", str(root / "jobs.json")]
        env = _child_env(root)
        with open(root / "stdout.txt", "wb") as stdout, open(root / "stderr.txt", "wb") as stderr:
            proc = subprocess.Popen(cmd, cwd=root, env=env, stdin=subprocess.DEVNULL, stdout=stdout,
                                    stderr=stderr, start_new_session=True)
            try:
                proc.wait(timeout=timeout * len(paths))
            except subprocess.TimeoutExpired:
                pass
            finally:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
                proc.wait()
        results = []
        for script, job in zip(paths, jobs):
            try:
                payload = json.loads(Path(job["out"]).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                results.append(verify_script(script, timeout, memory_limit))
                continue
            results.append(results_from_payload(script, payload, None, "ok"))
        return results
    finally:
        shutil.rmtree(root, ignore_errors=True)


def timed_verify(path, **kwargs) -> tuple[list[VerifyResult], float]:
    t = time.monotonic()
    res = verify_script(path, **kwargs)
    return res, time.monotonic() - t
