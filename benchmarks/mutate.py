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
``python -m pytest -x`` over the group's test files, with a time limit; a mutant whose tests
fail or run past the limit is killed (a hang is a behaviour change the suite notices), one
whose tests pass survived.  Prints the kill rate per group and every survivor as
``path:line: what changed``.  Exits 0; the numbers are the result.
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each group: the source files it mutates, and the fast tests that must notice (first the
# ones most likely to fail early, since -x stops at the first failure).
GROUPS: dict[str, tuple[list[str], list[str]]] = {
    "rules": (["fixorder/rules"], ["tests/test_fixtures.py", "tests/test_suppression.py"]),
    "codemods": (["codemods"], ["tests/test_fixtures.py", "tests/test_codemods.py"]),
    "analysis": (["fixorder/analysis"], ["tests/test_fixtures.py", "tests/test_analysis_budget.py"]),
    "cache": (["fixorder/run/cache.py"], ["tests/test_cache.py"]),
    "prefilter": (["fixorder/inputs/prefilter.py"], ["tests/test_prefilter.py"]),
    "files": (["fixorder/inputs/files.py"], ["tests/test_writes.py", "tests/test_reading.py", "tests/test_bad_input.py"]),
}
# Not copied into the private copies of the repository (everything else is: tests read
# README.md, .libcst.codemod.yaml, .pre-commit-hooks.yaml and the like).
NOT_COPIED = {".git", ".venv", "venv", ".fixorder_cache", ".pytest_cache", "__pycache__", "build", "dist"}

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
    outcome: str = ""  # killed, survived, timeout
    seconds: float = 0.0

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}: {self.description}"


def _is_docstring(parent: ast.AST, node: ast.stmt) -> bool:
    body = getattr(parent, "body", None)
    return (isinstance(parent, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and body
            and body[0] is node and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str))


def _sites(tree: ast.Module):
    """Every (node, parent, field, kind, description) that can be mutated, in a fixed order."""
    out = []

    def visit(node: ast.AST, parent: ast.AST | None) -> None:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            return
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return
        if isinstance(node, ast.JoinedStr):
            return  # f-strings: their parts are not standalone constants
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) in _COMPARE_SWAPS:
                    swap = _COMPARE_SWAPS[type(op)]
                    out.append((node, "compare", i, f"{_SYMBOLS[type(op)]} -> {_SYMBOLS[swap]}"))
        elif isinstance(node, ast.BinOp) and type(node.op) in _BINOP_SWAPS:
            swap = _BINOP_SWAPS[type(node.op)]
            out.append((node, "binop", None, f"{_SYMBOLS[type(node.op)]} -> {_SYMBOLS[swap]}"))
        elif isinstance(node, ast.BoolOp):
            other = "or" if isinstance(node.op, ast.And) else "and"
            out.append((node, "boolop", None, f"{_SYMBOLS[type(node.op)]} -> {other}"))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            out.append((node, "not", None, "not x -> x"))
        elif isinstance(node, ast.Constant) and not isinstance(parent, ast.Expr):
            value = node.value
            if isinstance(value, bool):
                out.append((node, "const", None, f"{value} -> {not value}"))
            elif isinstance(value, int):
                out.append((node, "const", None, f"{value} -> {value + 1}"))
            elif isinstance(value, float):
                out.append((node, "const", None, f"{value} -> {value + 1}"))
            elif isinstance(value, str) and not isinstance(parent, ast.JoinedStr):
                out.append((node, "const", None, f"{value[:30]!r} -> 'XX'"))
        if isinstance(node, ast.Return) and node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None):
            out.append((node, "return", None, "return x -> return None"))
        if isinstance(node, _REMOVABLE) and parent is not None and not _is_docstring(parent, node):
            out.append((node, "remove", None, f"{type(node).__name__} statement removed"))
        for name, value in ast.iter_fields(node):
            if name in _SKIPPED_FIELDS:
                continue
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        visit(item, node)
            elif isinstance(value, ast.AST):
                visit(value, node)

    visit(tree, None)
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
    node, kind, index, _ = _sites(tree)[site]
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
        for i, (node, _, _, description) in enumerate(_sites(tree)):
            out.append(Mutant(group, str(path.relative_to(ROOT)), i, getattr(node, "lineno", 0), description))
    return out


def _copy_repository(into: Path) -> None:
    for source in ROOT.iterdir():
        if source.name in NOT_COPIED or source.name.endswith(".egg-info"):
            continue
        if source.is_dir():
            shutil.copytree(source, into / source.name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, into / source.name)


def _pytest(copy_root: Path, tests: list[str], timeout: float) -> str:
    tests = [t for t in tests if (copy_root / t).exists()]  # an older checkout may lack some
    env = dict(os.environ, PYTHONPATH=str(copy_root), PYTHONDONTWRITEBYTECODE="1")
    env.pop("CI", None)
    try:
        proc = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
                              cwd=copy_root, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout"
    return "survived" if proc.returncode == 0 else "killed"


def run_mutants(mutants: list[Mutant], timeout: float, jobs: int, progress: bool = True) -> None:
    """Run each mutant in one of ``jobs`` private copies of the repository."""
    copies = [Path(tempfile.mkdtemp(prefix="fixorder-mutate-")) for _ in range(jobs)]
    free = list(copies)
    import threading

    lock = threading.Lock()
    done = [0]
    try:
        for c in copies:
            _copy_repository(c)

        def one(mutant: Mutant) -> None:
            with lock:
                root = free.pop()
            target = root / mutant.path
            original = target.read_bytes()
            try:
                target.write_text(mutated_source(original.decode("utf-8"), mutant.site), encoding="utf-8")
                started = time.monotonic()
                mutant.outcome = _pytest(root, GROUPS[mutant.group][1], timeout)
                mutant.seconds = round(time.monotonic() - started, 1)
            finally:
                target.write_bytes(original)
                with lock:
                    free.append(root)
                    done[0] += 1
                    if progress:
                        print(f"[{done[0]}/{len(mutants)}] {mutant.outcome:8s} {mutant.seconds:6.1f}s "
                              f"{mutant.where}", file=sys.stderr, flush=True)

        with ThreadPoolExecutor(jobs) as pool:
            list(pool.map(one, mutants))
    finally:
        for c in copies:
            shutil.rmtree(c, ignore_errors=True)


def baseline_passes(group: str, timeout: float) -> bool:
    """The group's tests pass on the unmutated code (else every mutant would count as killed)."""
    root = Path(tempfile.mkdtemp(prefix="fixorder-mutate-"))
    try:
        _copy_repository(root)
        return _pytest(root, GROUPS[group][1], timeout) == "survived"
    finally:
        shutil.rmtree(root, ignore_errors=True)


def report(mutants: list[Mutant], totals: dict[str, int]) -> str:
    lines = ["group      mutants  sampled  killed  timeout  survived  kill rate"]
    for group in GROUPS:
        mine = [m for m in mutants if m.group == group]
        if not mine:
            continue
        killed = sum(m.outcome == "killed" for m in mine)
        hung = sum(m.outcome == "timeout" for m in mine)
        survived = sum(m.outcome == "survived" for m in mine)
        rate = (killed + hung) / len(mine)
        lines.append(f"{group:10s} {totals[group]:7d}  {len(mine):7d}  {killed:6d}  {hung:7d}  {survived:8d}  {rate:8.0%}")
    every = [m for m in mutants if m.outcome]
    if every:
        rate = sum(m.outcome != "survived" for m in every) / len(every)
        lines.append(f"{'all':10s} {sum(totals.values()):7d}  {len(every):7d}  "
                     f"{sum(m.outcome == 'killed' for m in every):6d}  {sum(m.outcome == 'timeout' for m in every):7d}  "
                     f"{sum(m.outcome == 'survived' for m in every):8d}  {rate:8.0%}")
    survivors = [m for m in mutants if m.outcome == "survived"]
    if survivors:
        lines.append("")
        lines.append("survivors:")
        lines += [f"  {m.where}" for m in survivors]
    return "\n".join(lines)


def iter_padded(items: list, length: int) -> list:
    return items + [None] * (length - len(items))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", nargs="+", choices=list(GROUPS), default=list(GROUPS))
    parser.add_argument("--sample", type=int, help="at most this many random mutants per group")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=180, help="seconds per mutant's test run")
    parser.add_argument("--jobs", type=int, default=1, help="mutants tested at once")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--json", help="also write every mutant and its outcome to this file")
    parser.add_argument("--only", nargs="+", metavar="PATH:SITE",
                        help="run just these mutants (as listed by --list: the file and the site number)")
    parser.add_argument("--skip-baseline", action="store_true",
                        help="do not first check that each group's tests pass unmutated")
    args = parser.parse_args()

    chosen: list[Mutant] = []
    totals: dict[str, int] = {}
    for group in args.groups:
        every = mutants_of(group)
        totals[group] = len(every)
        if args.only:
            every = [m for m in every if f"{m.path}:{m.site}" in args.only]
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
            print(f"{m.group:10s} {m.path}:{m.site} line {m.line}: {m.description}")
        print(f"{len(chosen)} mutants ({', '.join(f'{g} {n}' for g, n in totals.items())} in all)")
        return 0
    for group in [] if args.skip_baseline else args.groups:
        if not baseline_passes(group, args.timeout * 2):
            print(f"mutate: the {group} tests fail without any mutation; fix them first", file=sys.stderr)
            return 2
    started = time.monotonic()
    run_mutants(chosen, args.timeout, max(1, args.jobs))
    print(report(chosen, totals))
    print(f"\n{len(chosen)} mutants in {time.monotonic() - started:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps([m.__dict__ | {"where": m.where} for m in chosen], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
