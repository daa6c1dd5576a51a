"""Many scripts in one verification child: ``python -m fixorder.verify._batch JOBS.json``.

For a trusted corpus such as fixorder's own test fixtures, where starting TensorFlow once per
script costs most of the time.  The scripts share this process (its imported modules, Keras'
global state), which ``fixorder verify`` never lets a user's scripts do; what is observed is
reset between scripts, each runs in its own working directory with its own generated data,
and writes are confined to the batch's directory.  The judging happens in the parent
(``runner.verify_batch``), from one result file per script in the format of ``_child``.

JOBS.json: ``{"confine_root": DIR, "memory_limit": N, "keras": 2|3, "freeze_backbones": bool,
"jobs": [{"copy", "script", "display_path", "source_dirs", "out", "gen_root", "work"}, ...]}``:
each job runs ``copy`` (the whole file or one pipeline's slice) as ``__main__`` under the name
``script``, as the sandboxed child does.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
import traceback

from fixorder.verify._child import _error_site, _run_as_main


def _limit_memory(limit: int) -> str | None:
    """A soft address-space limit for the batch process (it runs a test corpus, not untrusted code)."""
    if limit <= 0:
        return None
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        new = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (new, hard))
        return None
    except Exception as exc:  # e.g. a platform without RLIMIT_AS
        return f"memory limit not applied: {exc}"


def _write(out: str, payload: dict) -> None:
    """Each script's result in a file of its own, written whole or not at all."""
    tmp = out + ".part"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(payload, fh)
    os.replace(tmp, out)


def _payload() -> dict:
    return {"status": None, "error": None, "error_file": None, "error_line": None,
            "backbones": [], "refusals": [], "replaced_data": [], "probes": [],
            "bounded_calls": [], "skipped_loads": [], "notes": [], "timings": {}}


def _next_script(state, job: dict) -> None:
    """Start observing ``job``'s script: what was installed stays, what was observed goes."""
    kept = (state.tf, state.frameworks, state.modules, state.freeze_backbones, state.images_per_class)
    state.__init__(job["script"], job["display_path"], job["gen_root"], job["source_dirs"])
    state.tf, state.frameworks, state.modules, state.freeze_backbones, state.images_per_class = kept


def _forget_models(state) -> None:
    for _, K in state.modules:
        try:
            K.backend.clear_session()
        except Exception:
            pass
    gc.collect()


def _seed(state, seed: int = 0) -> None:
    """The same random draws for every run: one training step makes one draw of each random
    augmentation, and a verdict must not depend on it changing from run to run."""
    import random

    random.seed(seed)
    for _, K in state.modules:
        try:
            K.utils.set_random_seed(seed)  # Python, NumPy and TensorFlow
        except Exception:
            pass


def _run(state, job: dict, payload: dict) -> None:
    from fixorder.verify import _instrument

    state.unjudged_lines = frozenset(job.get("unjudged_lines") or ())

    script = job["script"]
    script_real = os.path.realpath(script)
    script_dir = job["source_dirs"][0]
    os.chdir(job["work"])
    _seed(state)
    sys.argv = [script]
    sys.path.insert(0, script_dir)
    started = time.monotonic()
    try:
        _run_as_main(job["copy"], script)
        payload["status"] = "ok"
    except SystemExit as exc:
        if exc.code is None or exc.code == 0:
            payload["status"] = "ok"
        else:
            payload["status"] = "exit"
            payload["error"] = f"the script exited with status {exc.code!r}"
            payload["error_file"], payload["error_line"] = _error_site(exc.__traceback__, script_real,
                                                                       job["display_path"])
    except BaseException as exc:
        payload["status"] = "exception"
        refused = isinstance(exc, _instrument.Refused)
        message = str(exc).splitlines()[0] if str(exc) else ""
        payload["error"] = message if refused else f"{type(exc).__name__}: {message}"
        payload["error_kind"] = exc.kind if refused else None
        payload["error_file"], payload["error_line"] = _error_site(exc.__traceback__, script_real,
                                                                   job["display_path"])
        payload["traceback"] = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))[-4000:]
    finally:
        if script_dir in sys.path:
            sys.path.remove(script_dir)
    if payload["status"] == "ok":
        try:
            payload["probes"] = _instrument.probe_unfed_models(state)
        except Exception as exc:
            payload["notes"].append(f"post-run probe failed: {type(exc).__name__}: {exc}")
    payload["backbones"].extend(_instrument.backbone_rows(state))
    for key in ("refusals", "replaced_data", "bounded_calls", "skipped_loads", "frameworks"):
        payload[key] = getattr(state, key)
    payload["notes"].extend(state.notes)
    payload["timings"]["total"] = round(time.monotonic() - started, 3)


def main(argv=None) -> None:
    with open((argv or sys.argv[1:])[0], encoding="utf-8") as fh:
        spec = json.load(fh)
    jobs = spec["jobs"]
    note = _limit_memory(int(spec.get("memory_limit") or 0))
    try:
        from fixorder.verify import _instrument

        first = jobs[0]
        state = _instrument.State(first["script"], first["display_path"], first["gen_root"], first["source_dirs"])
        state.freeze_backbones = bool(spec.get("freeze_backbones", True))
        state.images_per_class = int(spec.get("images_per_class") or state.images_per_class)
        _instrument.install(state, keras_major=int(spec.get("keras") or 3))
        if spec.get("eager"):
            # One training step traced into a graph costs more than running it once eagerly.
            state.tf.config.run_functions_eagerly(True)
    except BaseException as exc:  # TensorFlow missing or broken
        failed = _payload()
        failed["status"], failed["error"] = "setup-error", f"{type(exc).__name__}: {exc}"
        for job in jobs:
            _write(job["out"], failed)
        os._exit(0)
    from fixorder.verify._confine import confine

    # Writes outside the batch's directory and network use are refused and recorded, as in the
    # sandboxed child; process creation is allowed (a trusted corpus, and TensorFlow may fork).
    confine(spec["confine_root"], state.refuse, sandboxed=True)
    for number, job in enumerate(jobs):
        if number:
            _forget_models(state)
            _next_script(state, job)
        payload = _payload()
        if note:
            payload["notes"].append(note)
        _run(state, job, payload)
        _write(job["out"], payload)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(0)  # skip TensorFlow's slow teardown


if __name__ == "__main__":
    main()
