"""Run scripts under instrumentation, each in a fresh subprocess, and judge what they fed.

The user's script never runs in the calling process.  Per script:

* a temporary directory holds the child's working directory (``work/``), ``HOME``, ``TMPDIR``,
  the generated images and a copy of the script; it is removed afterwards;
* the child is ``sys.executable -m fixorder.verify._child``, inside a bubblewrap sandbox when one
  is available (:mod:`fixorder.verify.sandbox`), otherwise not isolated (the report says so);
* hard resource limits, a scrubbed environment, an output cap, and a time limit after which the
  whole process tree is killed; the result comes back on a pipe this process owns;
* any crash, non-zero exit, refusal or timeout becomes UNVERIFIED with the reason.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from fixorder.verify import keras_version, sandbox
from fixorder.verify.notebook import is_notebook, notebook_to_script
from fixorder.verify.results import UNVERIFIED, VerifyResult, results_from_payload

DEFAULT_TIMEOUT = 120.0
DEFAULT_MEMORY_LIMIT = 8 << 30  # bytes of address space per child process (hard RLIMIT_AS)
STDERR_KEPT = 16 << 10
RESULT_KEPT = 16 << 20  # a longer result is cut, fails to parse and gives UNVERIFIED


def _package_root() -> str:
    import fixorder

    return str(Path(fixorder.__file__).resolve().parent.parent)


def _child_env(root: Path) -> dict[str, str]:
    """The child's whole environment: locale and PATH from ours, everything else set here."""
    home = root / "home"
    tmp = root / "tmp"
    home.mkdir()
    tmp.mkdir()
    env = sandbox.scrubbed_environment({
        "HOME": str(home), "TMPDIR": str(tmp), "TMP": str(tmp), "TEMP": str(tmp),
        "PWD": str(root / "work"),
        "KERAS_HOME": str(home / ".keras"),
        "KERAS_BACKEND": "tensorflow",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": str(home / ".matplotlib"),
        "CUDA_VISIBLE_DEVICES": "-1",
        "TF_CPP_MIN_LOG_LEVEL": os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2"),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        # The child must import this very fixorder, wherever it was loaded from.
        "PYTHONPATH": _package_root(),
    })
    if os.environ.get("TF_USE_LEGACY_KERAS"):
        env["TF_USE_LEGACY_KERAS"] = os.environ["TF_USE_LEGACY_KERAS"]
    return env


def _clean_tail(data: bytes, n: int = 6) -> str:
    text = data.decode("utf-8", errors="replace")
    lines = [ln for ln in text.splitlines() if ln.strip()
             and not ln.startswith(("WARNING: All log messages", "I0000", "W0000", "E0000"))]
    return " | ".join(lines[-n:])


class _Drain(threading.Thread):
    """Read one pipe to its end; keep at most ``keep`` trailing bytes; count everything."""

    def __init__(self, fd, keep: int, budget: "_Budget"):
        super().__init__(daemon=True)
        self.fd, self.keep, self.budget = fd, keep, budget
        self.data = bytearray()

    def run(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            self.budget.spend(len(chunk))
            if not self.keep:
                continue
            self.data += chunk
            if len(self.data) > 2 * self.keep:
                del self.data[:-self.keep]
        os.close(self.fd)


class _Budget:
    """The output cap shared by stdout and stderr: once spent, the child is stopped."""

    def __init__(self, limit: int, stop):
        self.limit, self.stop, self.used, self.exceeded = limit, stop, 0, False
        self._lock = threading.Lock()

    def spend(self, n: int) -> None:
        with self._lock:
            self.used += n
            if self.limit and self.used > self.limit and not self.exceeded:
                self.exceeded = True
                self.stop()


def _kill(proc: subprocess.Popen) -> None:
    """Kill the child's whole process group.  In the sandbox this kills bubblewrap, and with it the
    PID namespace (every process the script started, whatever session it moved to)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _accept(raw: bytes, token: str) -> tuple[dict | None, str | None]:
    """The one result line carrying the supervisor's token, or why there is none."""
    lines = [ln for ln in raw.split(b"\n") if ln.strip()]
    if not lines:
        return None, None
    if len(lines) > 1:
        return None, "more than one result arrived on the result channel (written by the script?)"
    try:
        payload = json.loads(lines[0])
    except ValueError as exc:
        return None, f"unreadable result from the verification process: {exc}"
    if not isinstance(payload, dict) or payload.pop("token", None) != token:
        return None, "the result channel carried a result without the supervisor's token (written by the script?)"
    return payload, None


def run_child(script: str | os.PathLike, display_path: str | None = None, timeout: float = DEFAULT_TIMEOUT,
              memory_limit: int | None = DEFAULT_MEMORY_LIMIT, source_dir: str | None = None,
              python: str | None = None, isolation: sandbox.Isolation | None = None,
              limits: sandbox.Limits | None = None, instrument: bool = True,
              keras: keras_version.KerasChoice | None = None,
              script_name: str | None = None,
              inert_missing_modules: bool = False, raw_probe: bool = True,
              freeze_backbones: bool = False) -> tuple[dict | None, str | None, str]:
    """Run one script in a child process.  Returns (payload or None, failure reason, status).

    ``instrument=False`` runs it under the sandbox and guards only (no TensorFlow in the child):
    what the sandbox's tests use.  ``freeze_backbones`` as in :func:`verify_batch` (for a test
    corpus: a fraction of the training step's cost, the same input at the backbone)."""
    script = os.path.abspath(os.fspath(script))
    display_path = display_path or os.fspath(script)
    source_dir = source_dir or os.path.dirname(script)
    isolation = isolation or sandbox.choose(True, False)
    limits = limits or sandbox.Limits()
    limits = replace(limits, address_space=int(memory_limit or 0),
                     cpu_seconds=limits.cpu_seconds or int(timeout) + 30)
    root = Path(tempfile.mkdtemp(prefix="fixorder-verify-"))
    fds: list[int] = []
    try:
        work = root / "work"
        work.mkdir()
        gen = root / "generated"
        gen.mkdir()
        copy_dir = root / "script"
        copy_dir.mkdir()
        copy = copy_dir / os.path.basename(script)
        shutil.copyfile(script, copy)
        env = _child_env(root)
        if keras is not None and keras.major == 2:
            env["TF_USE_LEGACY_KERAS"] = "1"
        uid = sandbox.sandbox_uid() if isolation.isolated else None
        sandbox.give_to(str(root), uid)
        result_r, result_w = os.pipe()
        token_r, token_w = os.pipe()
        fds += [result_r, result_w, token_r, token_w]
        token = secrets.token_hex(16)
        os.write(token_w, token.encode("ascii"))
        os.close(token_w)
        fds.remove(token_w)
        argv = [python or sys.executable, "-m", "fixorder.verify._child", "--script", str(copy),
                "--script-name", script_name or script,
                "--display-path", display_path, "--source-dir", source_dir, "--source-dir", os.getcwd(),
                "--root", str(root), "--gen-root", str(gen),
                "--result-fd", str(result_w), "--token-fd", str(token_r)]
        if isolation.isolated:
            argv.append("--sandboxed")
        if not instrument:
            argv.append("--no-instrument")
        if keras is not None:
            argv += ["--keras", str(keras.major)]
        if inert_missing_modules:
            argv.append("--inert-missing-modules")
        if not raw_probe:
            argv.append("--no-raw-probe")
        if freeze_backbones:
            argv.append("--freeze-backbones")
        cmd = sandbox.command(argv, str(root), str(work), isolation, limits, env,
                              readable=[_package_root(), source_dir, os.getcwd()], uid=uid)
        try:
            proc = subprocess.Popen(cmd, cwd=work, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, pass_fds=(result_w, token_r),
                                    start_new_session=True, preexec_fn=sandbox.pre_exec(limits, isolation))
        except OSError as exc:
            return None, f"could not start the verification process: {exc}", "crashed"
        for fd in (result_w, token_r):
            os.close(fd)
            fds.remove(fd)
        budget = _Budget(limits.output_bytes, lambda: _kill(proc))
        out_drain = _Drain(os.dup(proc.stdout.fileno()), 0, budget)
        err_drain = _Drain(os.dup(proc.stderr.fileno()), STDERR_KEPT, budget)
        proc.stdout.close()
        proc.stderr.close()
        result_drain = _Drain(result_r, RESULT_KEPT, _Budget(0, lambda: None))
        fds.remove(result_r)
        for d in (out_drain, err_drain, result_drain):
            d.start()
        timed_out = False
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            rc = None
        finally:
            # Always take down the whole group: the script may have left processes behind.
            _kill(proc)
            if rc is None:
                proc.wait()
        # Pipes still held open by escaped grandchildren (fallback only) must not block us.
        for d in (out_drain, err_drain, result_drain):
            d.join(timeout=5)
        if budget.exceeded:
            return None, (f"the script wrote more than {limits.output_bytes >> 20} MiB to stdout/stderr "
                          "(output limit); it was stopped"), "crashed"
        if timed_out:
            return None, f"time limit of {timeout:g} s exceeded; the script was stopped", "timeout"
        payload, bad = _accept(bytes(result_drain.data), token)
        if bad:
            return None, bad, "crashed"
        if payload is not None:
            return payload, None, "ok"
        if rc is not None and rc < 0:
            why = f"the verification process was killed by signal {-rc}"
            try:
                why += f" ({signal.Signals(-rc).name})"
            except ValueError:
                pass
            if -rc == signal.SIGKILL:
                why += "; out of memory?"
        elif rc == 125 and isolation.isolated:
            why = "the sandbox could not be set up"
        elif isolation.isolated and rc is not None and rc > 128 and rc - 128 < 65:
            # bubblewrap reports a child killed by a signal as 128 + the signal number.
            why = f"the verification process was killed by signal {rc - 128}"
            try:
                why += f" ({signal.Signals(rc - 128).name})"
            except ValueError:
                pass
            if rc - 128 == signal.SIGKILL:
                why += "; out of memory?"
        else:
            why = f"the verification process ended with status {rc} before writing its result (os._exit in the script?)"
        tail = _clean_tail(bytes(err_drain.data))
        if tail:
            why += f": {tail}"
        return None, why, "crashed"
    finally:
        for fd in fds:
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(root, ignore_errors=True)


NO_SANDBOX_ENV = "FIXORDER_VERIFY_NO_SANDBOX"  # "1": run not isolated, as --no-sandbox does


def isolation_for(sandboxed: bool = True, require_sandbox: bool = False) -> sandbox.Isolation:
    """The isolation verify will use; raises sandbox.SandboxRequired when required but unavailable."""
    enabled = sandboxed and os.environ.get(NO_SANDBOX_ENV, "") in ("", "0")
    return sandbox.choose(enabled, require_sandbox)


def verify_script(path: str | os.PathLike, timeout: float = DEFAULT_TIMEOUT,
                  memory_limit: int | None = DEFAULT_MEMORY_LIMIT, display_path: str | None = None,
                  source_dir: str | None = None, sandboxed: bool = True,
                  require_sandbox: bool = False, keras: str = "auto", whole_script: bool = False,
                  **child_options) -> list[VerifyResult]:
    """Verify ``path`` in a subprocess; one VerifyResult per backbone (per pipeline by default).

    By default each pipeline the static analysis links runs as a slice of the file
    (:mod:`fixorder.verify.slicing`); ``whole_script=True``, or a file with no linked pipeline,
    runs the whole file.  Raises sandbox.SandboxRequired when ``require_sandbox`` and no sandbox
    is available.  ``keras``: "auto" (Keras 2 APIs in the source mean tf_keras), "2" or "3".
    ``child_options`` go to :func:`run_child` (``limits``, ``instrument``, ``freeze_backbones``)."""
    display = display_path or os.fspath(path)
    isolation = isolation_for(sandboxed, require_sandbox)
    if not os.path.isfile(path):
        results = [VerifyResult(display, None, None, None, None, None, None, UNVERIFIED,
                                f"cannot read {display}: no such file", script_status="crashed",
                                script_error="no such file")]
    else:
        try:
            text, where = _python_source(path)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            text, where = None, None
            results = [VerifyResult(display, None, None, None, None, None, None, UNVERIFIED,
                                    f"cannot read {display}: {exc}", script_status="crashed",
                                    script_error=str(exc))]
        if text is not None:
            choice = keras_version.choose(text, keras)
            run = _Run(None if where is not None else os.path.abspath(path), display, timeout, memory_limit,
                       source_dir or os.path.dirname(os.path.abspath(path)), isolation,
                       dict(child_options, keras=choice))
            try:
                results = run.verify(text, where, whole_script)
            except Exception as exc:  # fixorder itself must not crash on a script
                results = [VerifyResult(display, None, None, None, None, None, None, UNVERIFIED,
                                        f"internal error while verifying: {type(exc).__name__}: {exc}",
                                        script_status="crashed", script_error=str(exc))]
            if choice.note():
                for r in results:
                    r.notes.insert(0, choice.note())
    for r in results:
        r.isolated, r.isolation = isolation.isolated, isolation.description
    return results


def _python_source(path) -> tuple[str, list[tuple[int, int]] | None]:
    """The Python verify runs, and for a notebook where each of its lines comes from."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    if is_notebook(path):
        return notebook_to_script(text)
    return text, None


@dataclass(frozen=True)
class _Unit:
    """One child run for a file: its whole text, or one pipeline's slice of it."""
    source: str
    backbone_line: int | None = None  # a slice reports only this pipeline's backbone
    note: str | None = None           # added to every result's notes
    label: str | None = None          # the slice's pipeline, named when the slice did not run
    linked: bool = False              # the static analysis links this slice's pipeline to data


class _Run:
    """Running one file's text (whole or sliced) in children and turning payloads into results.

    :meth:`units` says what to run, :meth:`finish` judges one unit's payload; ``verify_script``
    runs each unit in a sandboxed child of its own (:meth:`execute`), ``verify_batch`` many units
    of many files in one process."""

    def __init__(self, name, display, timeout, memory_limit, source_dir, isolation, child_options):
        self.name = name  # the script's own path: its __file__ in the child (None for a notebook)
        self.display, self.timeout, self.memory_limit = display, timeout, memory_limit
        self.source_dir, self.isolation, self.child_options = source_dir, isolation, child_options

    def verify(self, text: str, where, whole_script: bool) -> list[VerifyResult]:
        return [r for u in self.units(text, whole_script) for r in self.finish(u, *self.execute(u), where)]

    @staticmethod
    def units(text: str, whole_script: bool) -> list[_Unit]:
        if whole_script:
            return [_Unit(text)]
        from fixorder.verify.slicing import pipeline_slices

        try:
            slices, total, why = pipeline_slices(text)
        except Exception as exc:  # the static analysis failed on this file: whole-script mode
            slices, total, why = [], 0, f"the file could not be sliced ({type(exc).__name__}: {exc})"
        if why:
            return [_Unit(text, note=f"{why}: ran the whole script")]
        return [_Unit(sl.source, sl.backbone_line, sl.note(total), sl.label, sl.linked) for sl in slices]

    def execute(self, unit: _Unit) -> tuple[dict | None, str | None, str]:
        """Run one unit in a child of its own: (payload, failure, status)."""
        # A slice runs one pipeline, not the author's whole program: a module it imports that is
        # not installed here (a helper of the repository, an app framework) is an inert stand-in.
        # A linked pipeline's data comes from its own source in the file: when none reached the
        # backbone, a generated raw batch would only measure an assumption (UNVERIFIED instead).
        options = dict(self.child_options, inert_missing_modules=unit.backbone_line is not None,
                       raw_probe=not unit.linked)
        fd, tmp = tempfile.mkstemp(prefix="fixorder-verify-", suffix=".py")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(unit.source)
            return run_child(tmp, self.display, self.timeout, self.memory_limit, self.source_dir,
                             isolation=self.isolation, script_name=self.name, **options)
        finally:
            os.unlink(tmp)

    def finish(self, unit: _Unit, payload, failure, status, where) -> list[VerifyResult]:
        """The results of one unit's run."""
        if unit.backbone_line is not None and payload:
            # The slice may build other backbones it depends on: report the pipeline's own.
            mine = [b for b in payload.get("backbones", []) if b.get("line") == unit.backbone_line]
            if mine:
                payload["backbones"] = mine
        if where is None:
            results = results_from_payload(self.display, payload, failure, status)
        else:
            results = _notebook_results(self.display, payload, failure, status, where)
        if unit.note:
            for r in results:
                r.notes.append(unit.note)
        if unit.label is not None:
            for r in results:
                if r.script_status not in ("ok", "refused") and r.verdict == UNVERIFIED:
                    r.reason = (f"the slice of the file this pipeline needs did not run, so it stays "
                                f"unverified ({unit.label}): {r.reason}")
        return results


def _notebook_results(display, payload, failure, status, where) -> list[VerifyResult]:
    """Results for a notebook's joined script, with lines as (cell, line in cell)."""
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
            r.cell, r.line = where[r.line - 1]
            r.reason += f" [notebook cell {r.cell}]"
    return results


def verify_scripts(paths, timeout: float = DEFAULT_TIMEOUT, memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
                   jobs: int | None = None, sandboxed: bool = True,
                   require_sandbox: bool = False, keras: str = "auto",
                   whole_script: bool = False) -> list[VerifyResult]:
    """Verify several scripts, ``jobs`` at a time (default: the number of CPUs, at most 4);
    results in the order of ``paths``."""
    paths = [os.fspath(p) for p in paths]
    if not paths:
        return []
    isolation_for(sandboxed, require_sandbox)  # fail before running anything
    jobs = jobs or min(4, os.cpu_count() or 1)
    jobs = max(1, min(jobs, len(paths)))

    def one(p):
        return verify_script(p, timeout, memory_limit, sandboxed=sandboxed, require_sandbox=require_sandbox,
                             keras=keras, whole_script=whole_script)

    if jobs == 1:
        return [r for p in paths for r in one(p)]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        per_path = list(pool.map(one, paths))
    return [r for rs in per_path for r in rs]


BATCH_ISOLATION = sandbox.Isolation(False, "not isolated: one process for many scripts (verify_batch, "
                                           "for a trusted corpus such as fixorder's own fixtures)")
BATCH_FALLBACK_NOTE = "the batch process wrote no result for this run, so it ran in a process of its own"


@dataclass
class _BatchJob:
    run: _Run
    unit: _Unit
    where: list | None
    spec: dict


def verify_batch(paths, timeout: float = DEFAULT_TIMEOUT, memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
                 freeze_backbones: bool = False, whole_script: bool = False, keras: str = "auto",
                 eager: bool = False, images_per_class: int | None = None,
                 processes: int = 1) -> list[list[VerifyResult]]:
    """Verify many scripts in one child process per Keras version, so that TensorFlow starts
    once (a test corpus: the runs share that process's modules and Keras state, which
    ``verify_script`` never allows).  What runs is what ``verify_script`` would run (each
    pipeline's slice by default, the whole file with ``whole_script``; Keras 2 for Keras-2-only
    files), each run with its own working directory and generated data, the instrumentation
    reset between runs, writes outside the batch's directory and network use refused.  A run
    the batch did not write a result for (the process crashed, called ``os._exit`` or ran past
    ``timeout`` times the number of its runs) runs again in a child of its own, and its results
    carry :data:`BATCH_FALLBACK_NOTE` with the batch's stderr, so a broken batch is visible
    rather than only slow.  ``freeze_backbones`` makes every backbone ``trainable=False``: a
    training step costs a fraction and the input that reaches the backbone is the same; so do
    ``eager`` (``fit`` runs its one step eagerly instead of tracing it into a graph first) and
    ``images_per_class`` (the generated folders hold fewer images: each spans 0..255 on its
    own).  ``processes`` batch processes share the runs of each Keras version.
    One list of results per path."""
    paths = [os.path.abspath(os.fspath(p)) for p in paths]
    if not paths:
        return []
    root = Path(tempfile.mkdtemp(prefix="fixorder-verify-batch-"))
    try:
        per_path: list[list[_BatchJob] | list[VerifyResult]] = []
        groups: dict[int, list[_BatchJob]] = {}
        notes: dict[int, str | None] = {}
        for i, path in enumerate(paths):
            try:
                text, where = _python_source(path)
                choice = keras_version.choose(text, keras)
                run = _Run(None if where is not None else path, path, timeout, memory_limit,
                           os.path.dirname(path), isolation_for(), {"keras": choice})
                units = run.units(text, whole_script)
            except Exception:  # unreadable: verify_script says why, without running anything
                per_path.append(verify_script(path, timeout, memory_limit, whole_script=whole_script))
                continue
            notes[i] = choice.note()
            jobs = []
            for k, unit in enumerate(units):
                job_dir = root / f"job{i}_{k}"
                for sub in ("work", "generated", "script"):
                    (job_dir / sub).mkdir(parents=True)
                copy = job_dir / "script" / os.path.basename(path)
                copy.write_text(unit.source, encoding="utf-8")
                spec = {"copy": str(copy), "script": run.name or str(copy), "display_path": path,
                        "out": str(job_dir / "result.json"), "gen_root": str(job_dir / "generated"),
                        "work": str(job_dir / "work"), "source_dirs": [os.path.dirname(path), os.getcwd()]}
                job = _BatchJob(run, unit, where, spec)
                jobs.append(job)
                groups.setdefault(choice.major, []).append(job)
            per_path.append(jobs)
        settings = {"freeze_backbones": freeze_backbones, "eager": eager,
                    "images_per_class": images_per_class}
        chunks = [(major, n, jobs[n::max(1, processes)]) for major, jobs in groups.items()
                  for n in range(min(max(1, processes), len(jobs)))]
        with ThreadPoolExecutor(max_workers=max(1, processes)) as pool:
            tails = list(pool.map(lambda c: _run_batch(root / f"keras{c[0]}_{c[1]}", c[0], c[2], timeout,
                                                       memory_limit, settings), chunks))
        stderr_tails: dict[int, str] = {}
        for (major, _, _), tail in zip(chunks, tails):
            stderr_tails[major] = " | ".join(t for t in (stderr_tails.get(major), tail) if t)
        out: list[list[VerifyResult]] = []
        for i, entry in enumerate(per_path):
            if not entry or isinstance(entry[0], VerifyResult):
                out.append(entry)
                continue
            results = []
            for job in entry:
                try:
                    payload = json.loads(Path(job.spec["out"]).read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    got = job.run.finish(job.unit, *job.run.execute(job.unit), job.where)
                    tail = stderr_tails[job.run.child_options["keras"].major]
                    for r in got:
                        r.notes.append(BATCH_FALLBACK_NOTE + (f" (the batch's stderr: {tail})" if tail else ""))
                        r.isolated, r.isolation = job.run.isolation.isolated, job.run.isolation.description
                    results.extend(got)
                    continue
                got = job.run.finish(job.unit, payload, None, "ok", job.where)
                for r in got:
                    r.isolated, r.isolation = BATCH_ISOLATION.isolated, BATCH_ISOLATION.description
                results.extend(got)
            if notes.get(i):
                for r in results:
                    r.notes.insert(0, notes[i])
            out.append(results)
        return out
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _run_batch(base: Path, keras_major: int, jobs: list[_BatchJob], timeout: float, memory_limit,
               settings: dict) -> str:
    """One batch process for ``jobs`` (all of one Keras version), working in ``base``; the tail
    of its stderr."""
    spec = dict(settings, confine_root=str(base.parent), memory_limit=int(memory_limit or 0), keras=keras_major,
                jobs=[j.spec for j in jobs])
    base.mkdir()
    (base / "jobs.json").write_text(json.dumps(spec), encoding="utf-8")
    cmd = [sys.executable, "-m", "fixorder.verify._batch", str(base / "jobs.json")]
    env = _child_env(base)
    if keras_major == 2:
        env["TF_USE_LEGACY_KERAS"] = "1"
    with open(base / "stdout.txt", "wb") as stdout, open(base / "stderr.txt", "wb") as stderr:
        proc = subprocess.Popen(cmd, cwd=base, env=env, stdin=subprocess.DEVNULL, stdout=stdout,
                                stderr=stderr, start_new_session=True)
        try:
            proc.wait(timeout=timeout * len(jobs))
        except subprocess.TimeoutExpired:
            pass
        finally:
            _kill(proc)
            proc.wait()
    return _clean_tail((base / "stderr.txt").read_bytes()[-STDERR_KEPT:])


def timed_verify(path, **kwargs) -> tuple[list[VerifyResult], float]:
    t = time.monotonic()
    res = verify_script(path, **kwargs)
    return res, time.monotonic() - t
