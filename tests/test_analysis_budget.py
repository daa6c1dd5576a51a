"""The interpreter's cost stays linear in the file, whatever the call structure.

Two generated shapes that used to take minutes (found in keras' own source by the sweep,
benchmarks/sweep.py): nested helpers re-defined by every inlined call, and helpers that each
call the next many times (fan-out ** MAX_CALL_DEPTH inlined calls).  Each test runs under an
alarm so that a regression fails in seconds instead of hanging the suite.
"""

from __future__ import annotations

import signal
import textwrap
from contextlib import contextmanager

import libcst as cst

from fixorder import catalog
from fixorder.analysis import interpreter
from fixorder.analysis.interpreter import Interpreter, count_statements
from fixorder.run.engine import Options, check_source
from fixorder.rules import RULE_MODULES

PIPELINE = textwrap.dedent("""\
    images = keras.utils.image_dataset_from_directory("data/train")
    augment = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)])
    base = keras.applications.MobileNetV2(include_top=False)
    features = base(augment(images))
""")
HEADER = "import keras\nfrom keras import layers\n\n"


@contextmanager
def seconds(limit: int):
    def expire(*_):
        raise TimeoutError(f"analysis took more than {limit} s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(limit)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def nested_helpers(levels: int, fanout: int) -> str:
    """f0 defines h0, calls it ``fanout`` times; h0 defines f1, which defines h1 ... (each
    call of a helper makes a new closure of every function nested in it)."""
    def level(i: int, indent: str) -> str:
        if i == levels:
            return f"{indent}def f{i}(x):\n{indent}    return x\n"
        inner = level(i + 1, indent + "        ")
        calls = "".join(f"{indent}    h{i}(x)\n" for _ in range(fanout))
        return (f"{indent}def f{i}(x):\n{indent}    def h{i}(y):\n{inner}{indent}        return y\n"
                f"{calls}{indent}    return x\n")
    return HEADER + level(0, "") + "\n" + PIPELINE


def fanout_chain(fanout: int, depth: int = interpreter.MAX_CALL_DEPTH + 1) -> str:
    """g0 calls g1 ``fanout`` times, g1 calls g2 ``fanout`` times, ... and the module calls g0."""
    out = [HEADER]
    for i in range(depth):
        body = "".join(f"    g{i + 1}(x)\n" for _ in range(fanout)) if i + 1 < depth else ""
        out.append(f"def g{i}(x):\n{body}    return x\n\n")
    out.append("g0(1)\n")
    out.append(PIPELINE)
    return "".join(out)


def run(source: str) -> Interpreter:
    it = Interpreter(cst.parse_module(source), catalog.load())
    it.run()
    return it


def codes(source: str) -> list[tuple[str, int]]:
    result = check_source("generated.py", source, Options(frozenset(RULE_MODULES), "insert", True))
    return sorted((f.code, f.line) for f in result.findings)


def test_nested_helpers_are_analysed_once_per_definition():
    source = nested_helpers(levels=9, fanout=4)  # 4 ** 9 closures when each closure was queued
    with seconds(10):
        it = run(source)
    statements = count_statements(cst.parse_module(source))
    assert not it.result.truncated  # linear without the safety net
    assert it.steps <= 3 * statements
    assert len(it.functions) == 2 * 9 + 1  # one per definition, not per closure


def test_fanout_beyond_the_budget_stops_inlining_and_keeps_what_the_module_shows():
    source = fanout_chain(fanout=12)  # 12 ** 6 inlined calls without a budget
    with seconds(20):
        it = run(source)
        found = codes(source)
    assert it.result.truncated
    assert it.steps <= it.budget + interpreter.MAX_CALL_DEPTH * 12 * 10
    # The pipeline after the blow-up is still followed, and nothing else is reported: the same
    # findings as the small version of the file that the budget does not cut.
    small = fanout_chain(fanout=2)
    assert not run(small).result.truncated
    def last_line(text: str) -> int:
        return text.splitlines().index(PIPELINE.splitlines()[-1]) + 1
    assert found == [("FO101", last_line(source))]
    assert codes(small) == [("FO101", last_line(small))]


def test_the_budget_grows_with_the_file():
    small, large = cst.parse_module(PIPELINE), cst.parse_module(PIPELINE * 50)
    assert count_statements(small) == 4 and count_statements(large) == 200
    cat = catalog.load()
    assert Interpreter(large, cat).budget - Interpreter(small, cat).budget == \
        interpreter.STEPS_PER_STATEMENT * 196


def test_a_file_cut_by_the_budget_is_reported_as_a_warning_cold_and_from_the_cache(tmp_path):
    """The user hears that a file was analysed only in part; the exit code still says what was found."""
    from tests.cli_helpers import fixorder

    (tmp_path / "blown_up.py").write_text(fanout_chain(fanout=12))
    (tmp_path / "small.py").write_text(fanout_chain(fanout=2))
    warning = "fixorder: warning: blown_up.py: analysis reached its work budget"
    for run_ in ("cold", "warm"):
        proc = fixorder("check", "--cache-dir", str(tmp_path / "cache"), ".", cwd=tmp_path)
        assert proc.returncode == 1, (run_, proc.stderr)  # FO101 in both files; a warning is not an error
        assert [line for line in proc.stderr.splitlines() if "warning" in line] == [
            warning + "; calls past it were not followed, so findings that depend on them may be missing"], run_
        assert "blown_up.py" in proc.stdout and "small.py" in proc.stdout


def test_fixing_a_file_cut_by_the_budget_still_warns(tmp_path):
    (tmp_path / "blown_up.py").write_text(fanout_chain(fanout=12))
    from tests.cli_helpers import fixorder

    proc = fixorder("check", "--diff", "--no-cache", "blown_up.py", cwd=tmp_path)
    assert "blown_up.py: analysis reached its work budget" in proc.stderr
    assert "+++ b/blown_up.py" in proc.stdout  # the pipeline after the blow-up is still fixed


def test_source_from_stdin_cut_by_the_budget_warns(tmp_path):
    from tests.cli_helpers import fixorder

    proc = fixorder("check", "--stdin-filename", "blown_up.py", cwd=tmp_path, stdin=fanout_chain(fanout=12))
    assert proc.returncode == 1, proc.stderr
    assert "fixorder: warning: blown_up.py: analysis reached its work budget" in proc.stderr


def test_a_notebook_cut_by_the_budget_warns(tmp_path):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from tests.cli_helpers import fixorder

    notebook = new_notebook(cells=[new_code_cell(fanout_chain(fanout=12))])
    nbformat.write(notebook, str(tmp_path / "blown_up.ipynb"))
    proc = fixorder("check", "blown_up.ipynb", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "fixorder: warning: blown_up.ipynb: analysis reached its work budget" in proc.stderr
