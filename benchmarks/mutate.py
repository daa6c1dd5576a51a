"""A small mutation tester: change one thing in fixorder's code, run the fast tests that cover it,
and count how many of those changes the tests notice ("killed").

    python benchmarks/mutate.py                          # every group, every mutant (slow)
    python benchmarks/mutate.py --sample 20 --seed 1     # 20 random mutants per group
    python benchmarks/mutate.py --groups cache prefilter --list

Mutants (one change each, found with ``ast``; the mutated module is written back with
``ast.unparse``, so comments and layout differ but the code is the same):

* comparisons: ``==``/``!=``, ``<``/``<=``, ``>``/``>=``, ``in``/``not in``, ``is``/``is not``;
* operators: ``+``/``-``, ``*``/``/``, ``//`` to ``/``, ``%`` to ``*``; ``and``/``or``; ``not x`` to ``x``;
* constants: an integer ``n`` to ``n + 1``, ``True``/``False``, a string to another string
  (docstrings, annotations and ``__all__`` are left alone);
* removed statements: an assignment, an expression statement, ``raise``, ``break`` or
  ``continue`` becomes ``pass``;
* returned values: ``return x`` becomes ``return None``.

Each mutant runs in a copy of the repository (the working tree is never touched) as
``python -m pytest -x`` over only the tests that execute its lines, with a time limit; a
mutant whose tests fail is killed, one whose tests pass survived, one that runs past the limit
is not decided (left out of the rate: on a loaded machine a slow pass looks like a hang), one that no test executes is "uncovered" (a
survivor, not run).  Which test runs which line comes from a coverage map: each group's test
files are run once under ``coverage`` with every test recorded under its node id (in-process
and in the CLI subprocesses it starts: benchmarks/mutate_contexts.py), cached in
.fixorder_mutate/ until the code or the tests change.  A survivor explained in
benchmarks/mutation_equivalents.json (by its key: path, enclosing function, change, ordinal) is
counted as "equivalent".  Prints the kill rate per group, with and without the equivalents,
and every unexplained survivor as ``path:line: what changed`` and its key.  Exits 0; the
numbers are the result.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each group: the source files it mutates, and the tests that exercise it.  A mutant runs only
# the tests (of every group's list) that executed its lines in the coverage map, in this order
# (the fast ones that fail early first, since -x stops at the first failure).
GROUPS: dict[str, tuple[list[str], list[str]]] = {
    "rules": (["fixorder/rules"], ["tests/test_fixtures.py", "tests/test_suppression.py", "tests/test_rules_fixtures.py",
                                   "tests/test_rules_mutants.py",
                                   "tests/test_rule_actions.py", "tests/test_fo107_walk.py", "tests/test_explain.py"]),
    "codemods": (["codemods"], ["tests/test_fixtures.py", "tests/test_codemods.py", "tests/test_render.py",
                                "tests/test_fix_convergence.py", "tests/test_removal_comments.py"]),
    "analysis": (["fixorder/analysis"], ["tests/test_fixtures.py", "tests/test_analysis_mutants.py", "tests/test_analysis_budget.py",
                                         "tests/test_value_domain.py", "tests/test_realworld_shapes.py"]),
    "cache": (["fixorder/run/cache.py"], ["tests/test_cache.py", "tests/test_cache_damage.py"]),
    "prefilter": (["fixorder/inputs/prefilter.py"], ["tests/test_prefilter.py"]),
    "files": (["fixorder/inputs/files.py"], ["tests/test_writes.py", "tests/test_reading.py", "tests/test_bad_input.py",
                                            "tests/test_write_metadata.py", "tests/test_file_names.py",
                                            "tests/test_interrupted_runs.py"]),
}
# Survivors explained as equivalent (the code behaves the same), by mutant key, with the reason.
EQUIVALENTS = ROOT / "benchmarks" / "mutation_equivalents.json"
# The coverage map (which test runs which line), rebuilt when the code or the tests change.
MAP_DIR = ROOT / ".fixorder_mutate"
# Not copied into the private copies of the repository (everything else is: tests read
# README.md, .libcst.codemod.yaml, .pre-commit-hooks.yaml and the like).
NOT_COPIED = {".git", ".venv", "venv", ".fixorder_cache", ".fixorder_mutate", ".hypothesis", ".pytest_cache", "__pycache__", "build", "dist"}

_COMPARE_SWAPS = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE,
                  ast.GtE: ast.Gt, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
_BINOP_SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.FloorDiv: ast.Div,
                ast.Mod: ast.Mult}
_SYMBOLS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.In: "in",
            ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not", ast.Add: "+", ast.Sub: "-", ast.Mult: "*",
            ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%", ast.And: "and", ast.Or: "or"}
_REMOVABLE = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr, ast.Raise, ast.Break, ast.Continue, ast.Delete)
_SKIPPED_FIELDS = {"annotation", "returns", "type_comment"}


@dataclass
class Mutant:
    group: str
    path: str  # relative to the repository
    site: int  # index among the file's mutation sites, in walk order
    line: int
    description: str
    scope: str = "<module>"
    lines: tuple[int, int] = (0, 0)
    ordinal: int = 0  # among the mutants of the same path, scope and description
    # killed, timeout (ran past the limit: not decided, left out of the rate), survived, uncovered (no test runs
    # its lines: a survivor, not run), equivalent (a survivor explained in EQUIVALENTS), error (the
    # selected tests could not be collected: not counted)
    outcome: str = ""
    seconds: float = 0.0
    tests: int = 0  # tests selected

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}: {self.description}"

    @property
    def key(self) -> str:
        """An id that survives edits elsewhere in the file: path, enclosing function, change, ordinal."""
        return f"{self.path}::{self.scope}::{self.description}#{self.ordinal}"


def _is_docstring(parent: ast.AST, node: ast.stmt) -> bool:
    body = getattr(parent, "body", None)
    return (isinstance(parent, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and body
            and body[0] is node and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str))


def _sites(tree: ast.Module):
    """Every mutation site in a fixed order: (node, kind, index, description, scope, lines), where
    ``scope`` is the enclosing ``Class.function`` (stable across edits elsewhere in the file) and
    ``lines`` the (first, last) source lines whose execution reaches the site (the enclosing simple
    statement, or a compound statement's header)."""
    out = []

    def lines_of(node: ast.AST, statement: ast.stmt | None) -> tuple[int, int]:
        first, last = getattr(node, "lineno", 0), getattr(node, "end_lineno", 0) or getattr(node, "lineno", 0)
        if statement is not None and statement is not node:
            if hasattr(statement, "body"):  # a compound statement's header: its first line too
                first, last = min(first, statement.lineno), max(last, statement.lineno)
            else:
                first, last = statement.lineno, statement.end_lineno or statement.lineno
        return first, last

    def visit(node: ast.AST, parent: ast.AST | None, scope: tuple[str, ...], statement: ast.stmt | None) -> None:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            return
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return
        if isinstance(node, ast.JoinedStr):
            return  # f-strings: their parts are not standalone constants
        if isinstance(node, ast.stmt):
            statement = node
        where = ".".join(scope) or "<module>"

        def add(kind, index, description):
            out.append((node, kind, index, description, where, lines_of(node, statement)))

        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) in _COMPARE_SWAPS:
                    swap = _COMPARE_SWAPS[type(op)]
                    add("compare", i, f"{_SYMBOLS[type(op)]} -> {_SYMBOLS[swap]}")
        elif isinstance(node, ast.BinOp) and type(node.op) in _BINOP_SWAPS:
            swap = _BINOP_SWAPS[type(node.op)]
            add("binop", None, f"{_SYMBOLS[type(node.op)]} -> {_SYMBOLS[swap]}")
        elif isinstance(node, ast.BoolOp):
            other = "or" if isinstance(node.op, ast.And) else "and"
            add("boolop", None, f"{_SYMBOLS[type(node.op)]} -> {other}")
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            add("not", None, "not x -> x")
        elif isinstance(node, ast.Constant) and not isinstance(parent, ast.Expr):
            value = node.value
            if isinstance(value, bool):
                add("const", None, f"{value} -> {not value}")
            elif isinstance(value, (int, float)):
                add("const", None, f"{value} -> {value + 1}")
            elif isinstance(value, str) and not isinstance(parent, ast.JoinedStr):
                add("const", None, f"{value[:30]!r} -> 'XX'")
        if isinstance(node, ast.Return) and node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None):
            add("return", None, "return x -> return None")
        if isinstance(node, _REMOVABLE) and parent is not None and not _is_docstring(parent, node):
            add("remove", None, f"{type(node).__name__} statement removed")
        inner = scope + (node.name,) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else scope
        for name, value in ast.iter_fields(node):
            if name in _SKIPPED_FIELDS:
                continue
            # A function's decorators and defaults run where it is defined, not in its body.
            here = scope if name in ("decorator_list", "args", "bases", "keywords") else inner
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        visit(item, node, here, statement)
            elif isinstance(value, ast.AST):
                visit(value, node, here, statement)

    visit(tree, None, (), None)
    return out


def _mutate(node: ast.AST, kind: str, index) -> ast.AST | None:
    """Change ``node`` in place; returns the replacement for a node that is swapped whole."""
    if kind == "compare":
        node.ops[index] = _COMPARE_SWAPS[type(node.ops[index])]()
    elif kind == "binop":
        node.op = _BINOP_SWAPS[type(node.op)]()
    elif kind == "boolop":
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif kind == "not":
        return node.operand
    elif kind == "const":
        value = node.value
        if isinstance(value, bool):
            node.value = not value
        elif isinstance(value, (int, float)):
            node.value = value + 1
        else:
            node.value = "XX" if value != "XX" else "YY"
    elif kind == "return":
        node.value = ast.Constant(None)
    elif kind == "remove":
        return ast.Pass()
    return None


def mutated_source(source: str, site: int) -> str:
    tree = ast.parse(source)
    node, kind, index, *_ = _sites(tree)[site]
    replacement = _mutate(node, kind, index)
    if replacement is not None:
        _replace(tree, node, replacement)
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def _replace(tree: ast.AST, old: ast.AST, new: ast.AST) -> None:
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if item is old:
                        value[i] = ast.copy_location(new, old)
                        return
            elif value is old:
                setattr(parent, name, ast.copy_location(new, old))
                return


def files_of(group: str) -> list[Path]:
    found = []
    for entry in GROUPS[group][0]:
        path = ROOT / entry
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return [p for p in found if "__pycache__" not in p.parts]


def mutants_of(group: str) -> list[Mutant]:
    out = []
    for path in files_of(group):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        seen: dict[tuple[str, str], int] = {}
        for i, (node, _, _, description, scope, lines) in enumerate(_sites(tree)):
            ordinal = seen.get((scope, description), 0)
            seen[(scope, description)] = ordinal + 1
            out.append(Mutant(group, str(path.relative_to(ROOT)), i, getattr(node, "lineno", 0), description,
                              scope, lines, ordinal))
    return out


def _copy_repository(into: Path) -> None:
    for source in ROOT.iterdir():
        if source.name in NOT_COPIED or source.name.endswith(".egg-info"):
            continue
        if source.is_dir():
            shutil.copytree(source, into / source.name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, into / source.name)


def _env(copy_root: Path, *extra_path: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(map(str, (copy_root, *extra_path))),
               PYTHONDONTWRITEBYTECODE="1")
    env.pop("CI", None)
    return env


def all_tests() -> list[str]:
    """Every group's test files, in group order, each once."""
    return list(dict.fromkeys(t for _, tests in GROUPS.values() for t in tests))


# --- the coverage map -------------------------------------------------------------------------

def _fingerprint() -> str:
    """The code and test data every map was built from (a test file's own text keys its entry)."""
    digest = hashlib.sha256()
    for folder in ("fixorder", "codemods", "tests", "testdata"):
        for path in sorted((ROOT / folder).rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            if folder == "tests" and path.name.startswith("test_") and path.suffix == ".py":
                continue  # each test file keys its own map entry (_entry_name)
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _entry_name(test_file: str) -> str:
    """A test file's map entry: named by its text, so adding a test to one file remaps only that file."""
    text = hashlib.sha256((ROOT / test_file).read_bytes()).hexdigest()[:12]
    return f"{test_file.replace('/', '_')}.{text}.json"


def _map_chunk(tests: list[str], timeout: float) -> tuple[dict, list[str], str]:
    """Run ``tests`` under coverage in a private copy: {path: {line: [test ids]}}, the run order
    of the tests that passed, and pytest's exit status ("passed", "failed: [ids]" or the tail of
    its output)."""
    root = Path(tempfile.mkdtemp(prefix="fixorder-mutate-map-"))
    try:
        _copy_repository(root)
        hook = root / ".mutate-hook"
        hook.mkdir()
        # Starts coverage in every Python process of the run (pytest and the CLI subprocesses).
        (hook / "sitecustomize.py").write_text("import coverage\ncoverage.process_startup()\n")
        rc = root / ".mutate-coveragerc"
        rc.write_text(f"[run]\nparallel = true\ndata_file = {root / '.coverage'}\n"
                      f"source = {root / 'fixorder'}, {root / 'codemods'}\n"
                      "context = ${FIXORDER_MUTATE_TEST}\n")
        env = _env(root, hook, root / "benchmarks")
        env.update(COVERAGE_PROCESS_START=str(rc), FIXORDER_MUTATE_ORDER=str(root / ".mutate-order"))
        env.pop("FIXORDER_MUTATE_TEST", None)
        try:
            proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                   "-p", "mutate_contexts", *tests], cwd=root, env=env, capture_output=True,
                                  text=True, timeout=timeout)
            status = "passed" if proc.returncode == 0 else (proc.stdout + proc.stderr)[-2000:]
            # -ra (pyproject's addopts) lists each failure as "FAILED node-id - reason".
            failed = sorted({line.split()[1] for line in proc.stdout.splitlines()
                             if line.startswith(("FAILED ", "ERROR ")) and len(line.split()) > 1})
        except subprocess.TimeoutExpired:
            status, failed = f"the tests ran past {timeout:.0f} s", []
        import coverage

        data = coverage.CoverageData(basename=str(root / ".coverage"))
        combiner = coverage.Coverage(data_file=str(root / ".coverage"), config_file=str(rc))
        combiner.combine(data_paths=[str(root)], keep=False)
        data.read()
        found: dict[str, dict[str, list[str]]] = {}
        for measured in data.measured_files():
            path = Path(measured)
            if root not in path.parents:
                continue
            by_line = data.contexts_by_lineno(measured)
            found[str(path.relative_to(root))] = {str(line): sorted(set(ids)) for line, ids in by_line.items()}
        order = (root / ".mutate-order").read_text().split("\n") if (root / ".mutate-order").exists() else []
        return found, [t for t in order if t and t not in failed], status if not failed else f"failed: {failed}"
    finally:
        shutil.rmtree(root, ignore_errors=True)


def coverage_map(test_files: list[str], jobs: int, timeout: float, progress: bool = True) -> dict:
    """{"lines": {path: {line: [test ids]}}, "order": [test ids], "unmapped": [test files]}.  Each
    test file is mapped on its own, ``jobs`` at a time, and kept under MAP_DIR per fingerprint of
    the code (and per text of the test file), so a map survives an interrupted run and an edit of
    another test file.  Mapping is also the baseline check: a file whose tests fail
    unmutated stops the run (else every mutant would count as killed); one that runs past the
    time limit is left unmapped, and a mutant of its groups runs it whole."""
    fingerprint = _fingerprint()
    folder = MAP_DIR / fingerprint
    folder.mkdir(parents=True, exist_ok=True)
    for old in MAP_DIR.iterdir():
        if old != folder:
            shutil.rmtree(old, ignore_errors=True)

    def one(test_file: str) -> dict:
        cached = folder / _entry_name(test_file)
        if cached.exists():
            return json.loads(cached.read_text())
        started = time.monotonic()
        found, order, status = _map_chunk([test_file], timeout)
        if status.startswith("the tests ran past"):
            built = {"lines": {}, "order": [], "unmapped": [test_file]}
        elif status.startswith("failed: "):
            # A test that fails unmutated (some cannot run under coverage: one runs the CLI as
            # another user, who cannot write the coverage data) is left out of every selection.
            print(f"mutate: {test_file}: left out, failing unmutated under coverage: {status[8:]}",
                  file=sys.stderr, flush=True)
            built = {"lines": found, "order": order, "unmapped": []}
        elif status != "passed":
            raise SystemExit(f"mutate: {test_file} fails without any mutation; fix it first:\n{status}")
        else:
            built = {"lines": found, "order": order, "unmapped": []}
        cached.write_text(json.dumps(built))
        if progress:
            print(f"mutate: mapped {test_file} in {time.monotonic() - started:.0f} s"
                  f"{' (past the limit: unmapped)' if built['unmapped'] else ''}", file=sys.stderr, flush=True)
        return built

    with ThreadPoolExecutor(jobs) as pool:
        parts = list(pool.map(one, test_files))
    lines: dict[str, dict[str, list[str]]] = {}
    for part in parts:
        for path, by_line in part["lines"].items():
            mine = lines.setdefault(path, {})
            for line, ids in by_line.items():
                mine[line] = sorted(set(mine.get(line, [])) | set(ids))
    return {"lines": lines, "order": [t for part in parts for t in part["order"]],
            "unmapped": [t for part in parts for t in part["unmapped"]]}


def tests_for(mutant: Mutant, cover: dict) -> list[str]:
    """The tests that run the mutant's lines.  A line run only at import (a module constant, a
    default value, a decorator) gets every test that runs any line of its file."""
    by_line = cover["lines"].get(mutant.path, {})
    first, last = mutant.lines
    ids: set[str] = set()
    for line in range(first, last + 1):
        ids.update(by_line.get(str(line), ()))
    if "" in ids:
        # Run at import: the tests whose CLI subprocess imported the module are not enough.
        ids |= {t for line_ids in by_line.values() for t in line_ids}
    ids.discard("")
    selected = [t for t in cover["order"] if t in ids]
    # A test file too slow to map runs whole.
    return selected + [t for t in GROUPS[mutant.group][1] if t in cover["unmapped"]]


# --- running the mutants ----------------------------------------------------------------------

def _pytest(copy_root: Path, tests: list[str], timeout: float) -> str:
    # The node ids go in a file (a line can be run by hundreds of parametrised cases).
    args_file = copy_root / ".mutate-tests"
    args_file.write_text("\n".join(tests) + "\n")
    try:
        proc = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                               f"@{args_file}"], cwd=copy_root, env=_env(copy_root), capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout"
    # 0 passed; 1 a test failed; 2 interrupted (a collection error: the mutant broke an import);
    # 3 internal error; 4 usage (a node id not found, a conftest import error); 5 nothing collected.
    if proc.returncode == 4 and "not found:" not in proc.stdout + proc.stderr:
        return "killed"  # a conftest that no longer imports is a usage error too
    return {0: "survived", 1: "killed", 2: "killed", 3: "killed"}.get(proc.returncode, "error")


def run_mutants(mutants: list[Mutant], cover: dict, timeout: float, jobs: int, progress: bool = True) -> None:
    """Run each mutant, with the tests that cover it, in one of ``jobs`` private copies."""
    import threading

    copies = [Path(tempfile.mkdtemp(prefix="fixorder-mutate-")) for _ in range(jobs)]
    free = list(copies)
    lock = threading.Lock()
    done = [0]
    try:
        for c in copies:
            _copy_repository(c)

        def one(mutant: Mutant) -> None:
            tests = tests_for(mutant, cover)
            mutant.tests = len(tests)
            if not tests:
                mutant.outcome = "uncovered"
            else:
                with lock:
                    root = free.pop()
                target = root / mutant.path
                original = target.read_bytes()
                try:
                    target.write_text(mutated_source(original.decode("utf-8"), mutant.site), encoding="utf-8")
                    started = time.monotonic()
                    mutant.outcome = _pytest(root, tests, timeout)
                    mutant.seconds = round(time.monotonic() - started, 1)
                finally:
                    target.write_bytes(original)
                    with lock:
                        free.append(root)
            with lock:
                done[0] += 1
                if progress:
                    print(f"[{done[0]}/{len(mutants)}] {mutant.outcome:9s} {mutant.seconds:6.1f}s "
                          f"{mutant.tests:4d} tests  {mutant.where}", file=sys.stderr, flush=True)

        with ThreadPoolExecutor(jobs) as pool:
            list(pool.map(one, mutants))
    finally:
        for c in copies:
            shutil.rmtree(c, ignore_errors=True)


def load_equivalents() -> dict[str, str]:
    if not EQUIVALENTS.exists():
        return {}
    return {entry["mutant"]: entry["reason"] for entry in json.loads(EQUIVALENTS.read_text())}


def explain(mutants: list[Mutant], equivalents: dict[str, str]) -> None:
    for m in mutants:
        if m.outcome in ("survived", "uncovered") and m.key in equivalents:
            m.outcome = "equivalent"


def report(mutants: list[Mutant], totals: dict[str, int]) -> str:
    lines = ["group      mutants  sampled  killed  timeout  survived  uncovered  equivalent  error  "
             "kill rate  without equivalents"]

    def row(name: str, mine: list[Mutant], total: int) -> str:
        count = {o: sum(m.outcome == o for m in mine) for o in
                 ("killed", "timeout", "survived", "uncovered", "equivalent", "error")}
        # A run past the limit is not decided: on a loaded machine a slow pass looks like a hang.
        counted = len(mine) - count["error"] - count["timeout"]
        caught = count["killed"]
        rate = f"{caught / counted:.0%}" if counted else "-"
        real = counted - count["equivalent"]
        strict = f"{caught / real:.0%}" if real else "-"
        return (f"{name:10s} {total:7d}  {len(mine):7d}  {count['killed']:6d}  {count['timeout']:7d}  "
                f"{count['survived']:8d}  {count['uncovered']:9d}  {count['equivalent']:10d}  {count['error']:5d}  "
                f"{rate:>9s}  {strict:>19s}")

    for group in GROUPS:
        mine = [m for m in mutants if m.group == group and m.outcome]
        if mine:
            lines.append(row(group, mine, totals[group]))
    every = [m for m in mutants if m.outcome]
    if every:
        lines.append(row("all", every, sum(totals.values())))
    for title, outcomes in (("survivors (unexplained)", ("survived", "uncovered")), ("not run", ("error",))):
        chosen = [m for m in mutants if m.outcome in outcomes]
        if chosen:
            lines += ["", f"{title}:"]
            lines += [f"  {m.where}{'  [no test runs it]' if m.outcome == 'uncovered' else ''}\n    key {m.key}"
                      for m in chosen]
    return "\n".join(lines)


def iter_padded(items: list, length: int) -> list:
    return items + [None] * (length - len(items))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", nargs="+", choices=list(GROUPS), default=list(GROUPS))
    parser.add_argument("--sample", type=int, help="at most this many random mutants per group")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=120, help="seconds per mutant's test run")
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once")
    parser.add_argument("--tests", nargs="+", metavar="TEST_FILE",
                        help="use only these of the groups' test files (to map and to run)")
    parser.add_argument("--map-timeout", type=float, default=600,
                        help="seconds to map one test file; a slower one runs whole for every mutant")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--map-only", action="store_true",
                        help="build (or check) the coverage map of the groups' test files and stop")
    parser.add_argument("--json", help="also write every mutant and its outcome to this file")
    parser.add_argument("--only", nargs="+", metavar="KEY",
                        help="run just these mutants (their key, or PATH:SITE, as --list shows them)")
    parser.add_argument("--rerun", metavar="JSON", help="run the survivors of an earlier --json again")
    args = parser.parse_args()

    chosen: list[Mutant] = []
    totals: dict[str, int] = {}
    wanted = set(args.only or ())
    if args.rerun:
        wanted |= {m["key"] for m in json.loads(Path(args.rerun).read_text())
                   if m["outcome"] in ("survived", "uncovered", "equivalent")}
    for group in args.groups:
        every = mutants_of(group)
        totals[group] = len(every)
        if wanted:
            every = [m for m in every if m.key in wanted or f"{m.path}:{m.site}" in wanted]
        elif args.sample and args.sample < len(every):
            every = sorted(random.Random(f"{args.seed}:{group}").sample(every, args.sample),
                           key=lambda m: (m.path, m.site))
        chosen += every
    # Round robin over the groups, so that a run stopped early has measured every group.
    by_group = [[m for m in chosen if m.group == g] for g in args.groups]
    chosen = [m for batch in zip(*[iter_padded(ms, max(map(len, by_group))) for ms in by_group])
              for m in batch if m is not None]
    if args.list:
        for m in chosen:
            print(f"{m.group:10s} {m.path}:{m.site} line {m.line}: {m.description}  [{m.key}]")
        print(f"{len(chosen)} mutants ({', '.join(f'{g} {n}' for g, n in totals.items())} in all)")
        return 0
    jobs = max(1, args.jobs)
    # A terminated run still removes its private copies and reports what it measured.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    if args.tests:
        for group in GROUPS:
            GROUPS[group] = (GROUPS[group][0], [t for t in GROUPS[group][1] if t in args.tests])
    wanted_tests = list(dict.fromkeys(t for g in args.groups for t in GROUPS[g][1]))
    cover = coverage_map(wanted_tests, jobs, timeout=args.map_timeout)
    if args.map_only:
        print(f"mapped {len(wanted_tests) - len(cover['unmapped'])} of {len(wanted_tests)} test files, "
              f"{len(cover['order'])} tests; unmapped: {cover['unmapped'] or 'none'}")
        return 0
    started = time.monotonic()
    try:
        run_mutants(chosen, cover, args.timeout, jobs)
    except KeyboardInterrupt:
        print("mutate: interrupted; the mutants run so far:", file=sys.stderr)
    explain(chosen, load_equivalents())
    print(report(chosen, totals))
    print(f"\n{sum(bool(m.outcome) for m in chosen)} mutants in {time.monotonic() - started:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps([m.__dict__ | {"where": m.where, "key": m.key} for m in chosen],
                                              indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
