"""Entry point of the verification child process: ``python -m fixorder.verify._child``.

It is started by :mod:`fixorder.verify.runner` in a fresh process (inside the sandbox when
there is one) with its own working directory, HOME and TMPDIR; it never runs inside the
fixorder process.  It installs the instrumentation (:mod:`fixorder.verify._instrument`), runs
the user's script as ``__main__`` (from a copy, under its own file name), calls the models that have seen no data on a
generated raw batch, and writes its observations as one JSON line to ``--result-fd``, a pipe the
supervisor owns, tagged with the token the supervisor sent on ``--token-fd`` (read and closed
before the script starts).  No file the script can reach is read back.  Judging against the
catalogue happens in the parent.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback


def _error_site(tb, script_real: str, display: str):
    line = None
    for frame, lineno in traceback.walk_tb(tb):
        fname = frame.f_code.co_filename
        if not fname.startswith("<") and os.path.realpath(fname) == script_real:
            line = lineno
    return (display, line) if line is not None else (None, None)


def _run_as_main(copy: str, name: str) -> None:
    """Run the copy as ``__main__`` as if it were the file ``name`` (which the sandbox's user may
    not be able to read): ``__file__``, tracebacks and line attribution all say ``name``."""
    import builtins
    import types

    with open(copy, "rb") as fh:
        source = fh.read()
    main = types.ModuleType("__main__")
    main.__file__ = name
    main.__builtins__ = builtins
    main.__cached__ = None
    sys.modules["__main__"] = main
    exec(compile(source, name, "exec", dont_inherit=True), main.__dict__)


def _read_token(fd: int) -> str:
    with os.fdopen(fd, "rb") as fh:
        return fh.read().decode("ascii").strip()


def _writer(fd: int, token: str):
    """Write the payload once to the result pipe, tagged with the supervisor's token."""
    def write(payload: dict) -> None:
        data = json.dumps(dict(payload, token=token)).encode("utf-8") + b"\n"
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.close(fd)
    return write


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="fixorder.verify._child")
    ap.add_argument("--script", required=True, help="the copy to run")
    ap.add_argument("--script-name", help="the script's own path: its __file__ and code file name")
    ap.add_argument("--display-path", required=True)
    ap.add_argument("--source-dir", action="append", default=[])
    ap.add_argument("--root", required=True)
    ap.add_argument("--gen-root", required=True)
    ap.add_argument("--result-fd", type=int, required=True)
    ap.add_argument("--token-fd", type=int, required=True)
    ap.add_argument("--sandboxed", action="store_true")
    ap.add_argument("--keras", type=int, choices=(2, 3), default=3)
    ap.add_argument("--no-raw-probe", action="store_true",
                    help="do not call unfed models on a generated raw batch (a linked pipeline's slice: "
                         "its data comes from the file's own source, or it is not known)")
    ap.add_argument("--inert-missing-modules", action="store_true",
                    help="pipeline mode: any module the script imports that is not installed is inert")
    ap.add_argument("--freeze-backbones", action="store_true",
                    help="make every backbone trainable=False (a test corpus: a training step costs a "
                         "fraction and the input that reaches the backbone is the same)")
    ap.add_argument("--no-instrument", action="store_true",
                    help="run the script under the guards only, without TensorFlow (the sandbox's own tests)")
    args = ap.parse_args(argv)
    _write = _writer(args.result_fd, _read_token(args.token_fd))

    payload: dict = {"status": None, "error": None, "error_file": None, "error_line": None,
                     "backbones": [], "refusals": [], "replaced_data": [], "probes": [],
                     "bounded_calls": [], "skipped_loads": [], "notes": [], "timings": {}}
    t0 = time.monotonic()

    try:
        from fixorder.verify import _instrument

        name = args.script_name or args.script
        state = _instrument.State(name, args.display_path, args.gen_root,
                                  args.source_dir or [os.path.dirname(os.path.abspath(args.script))])
        state.inert_missing_modules = args.inert_missing_modules
        state.freeze_backbones = args.freeze_backbones
        if not args.no_instrument:
            _instrument.install(state, keras_major=args.keras)
    except BaseException as exc:  # TensorFlow missing or broken
        payload["status"] = "setup-error"
        payload["error"] = f"{type(exc).__name__}: {exc}"
        _write(payload)
        sys.stdout.flush()
        os._exit(0)
    payload["timings"]["setup"] = round(time.monotonic() - t0, 3)

    from fixorder.verify._confine import confine

    # After the imports (TensorFlow's start-up need not pay for the hook): the script's own actions.
    confine(args.root, state.refuse, sandboxed=args.sandboxed)
    script_real = os.path.realpath(name)
    script_dir = args.source_dir[0] if args.source_dir else os.path.dirname(script_real)
    sys.argv = [name]
    sys.path.insert(0, script_dir)
    t1 = time.monotonic()
    try:
        _run_as_main(args.script, name)
        payload["status"] = "ok"
    except SystemExit as exc:
        code = exc.code
        if code is None or code == 0:
            payload["status"] = "ok"
        else:
            payload["status"] = "exit"
            payload["error"] = f"the script exited with status {code!r}"
            payload["error_file"], payload["error_line"] = _error_site(exc.__traceback__, script_real,
                                                                       args.display_path)
    except BaseException as exc:
        payload["status"] = "exception"
        refused = isinstance(exc, _instrument.Refused)
        msg = str(exc).splitlines()[0] if str(exc) else ""
        payload["error"] = msg if refused else f"{type(exc).__name__}: {msg}"
        payload["error_kind"] = exc.kind if refused else None
        payload["error_file"], payload["error_line"] = _error_site(exc.__traceback__, script_real,
                                                                   args.display_path)
        payload["traceback"] = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))[-4000:]
    payload["timings"]["script"] = round(time.monotonic() - t1, 3)

    t2 = time.monotonic()
    if payload["status"] == "ok" and not args.no_instrument and not args.no_raw_probe:
        try:
            payload["probes"] = _instrument.probe_unfed_models(state)
        except Exception as exc:
            payload["notes"].append(f"post-run probe failed: {type(exc).__name__}: {exc}")
    payload["timings"]["probe"] = round(time.monotonic() - t2, 3)

    payload["backbones"].extend(_instrument.backbone_rows(state))
    payload["refusals"] = state.refusals
    payload["replaced_data"] = state.replaced_data
    payload["bounded_calls"] = state.bounded_calls
    payload["skipped_loads"] = state.skipped_loads
    payload["frameworks"] = state.frameworks
    payload["notes"].extend(state.notes)
    payload["timings"]["total"] = round(time.monotonic() - t0, 3)
    _write(payload)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(0)  # skip TensorFlow's slow teardown and any lingering non-daemon threads


if __name__ == "__main__":
    main()
