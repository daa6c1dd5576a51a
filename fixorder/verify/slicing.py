"""Pipeline verification: for each pipeline the static analysis links, the part of the file it needs.

A slice is the file with every top-level statement the pipeline does not need blanked out
(replaced by empty lines, so line numbers stay those of the file).  It keeps:

* the statements holding the pipeline's source, its stages, its backbone and where the data
  meets the backbone (for a stage inside a function: the whole ``def``, as written, and the
  top-level statements that call it);
* downstream of those, the statements that use a name the pipeline's data or model flows
  through and nothing the slice does not bind (the layers after the backbone, the model);
* the statements that drive data through the model (``fit``, ``predict``, ``evaluate``, ...)
  when they use a name the slice binds, and those that configure what the slice built
  (``model.compile(...)``, ``base.trainable = False``) using only names it binds;
* environment set-up that changes how Keras behaves (``os.environ[...] = ...``, ``sys.path``,
  ``set_image_data_format``, mixed precision; listed in ``slice_rules.json``);
* and, transitively, the latest top-level statement before each kept one that binds a name it
  uses (imports, constants, functions, classes, assignments).

Everything else (plots, downloads, directory listings, evaluation reports, other pipelines) is
gone.  The slice runs under the same instrumentation as a whole script (weights=None, generated
data for the data sources, one training step).  Statement-level and name-based: a name bound by
a statement that also has side effects keeps those side effects; that is the price of running the
stages exactly as written.
"""

from __future__ import annotations

import ast
import builtins
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fixorder.verify.keras_version import dotted as _dotted

_BUILTINS = frozenset(dir(builtins)) | {"__file__", "__name__", "__doc__", "__builtins__"}


@dataclass(frozen=True)
class PipelineSlice:
    label: str                 # "MobileNetV2 (line 16) fed from image_dataset_from_directory (line 13)"
    backbone: str
    backbone_line: int
    source: str                # the file with unneeded statements blanked; same line numbers
    kept: tuple[int, ...]      # first lines of the kept top-level statements
    # Data followed from a known source reaches a pretrained backbone: a pipeline the static rules
    # judge ("linked to data" in fixorder's summary).  Others (a model's Input, data from a call
    # fixorder cannot follow, a shape probe) still run: verify may see what the analysis cannot.
    linked: bool = True
    # Lines of the file's eager shape probes (``print(base(batch).shape)``): data they send the
    # backbone is not judged, as the static analysis does not judge it; a probe's own slice has none.
    unjudged: tuple[int, ...] = ()

    def note(self, total: int) -> str:
        what = self.label if self.linked else f"{self.label} (not linked to data by the static analysis)"
        return (f"pipeline mode: ran {len(self.kept)} of {total} top-level statements of the file "
                f"(lines {', '.join(map(str, self.kept))}) for {what}")


@lru_cache(maxsize=1)
def _rules() -> dict:
    return json.loads((Path(__file__).parent / "slice_rules.json").read_text(encoding="utf-8"))


@dataclass
class _Statement:
    index: int
    start: int
    end: int
    binds: frozenset[str]
    loads: frozenset[str]
    calls: frozenset[str]      # attribute names called, e.g. "fit"; plain names called, e.g. "main"
    dotted_calls: tuple[str, ...]
    node: ast.stmt


_MUTATORS = frozenset({"append", "extend", "insert", "update", "setdefault"})


def _bound_by(node: ast.stmt) -> set[str]:
    out: set[str] = set()
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        out.add(node.name)
        return out
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        for a in node.names:
            out.add(a.asname or a.name.split(".")[0])
        return out
    for sub in ast.walk(node):
        # ``images.append(x)`` in a loop, ``table[k] = v``: the statement changes the value of a
        # name bound before it, so a later use of the name needs it (and, through its own use of
        # the name, the statement that first bound it).
        root = None
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr in _MUTATORS:
            root = sub.func.value
        elif isinstance(sub, ast.Subscript) and isinstance(sub.ctx, ast.Store):
            root = sub.value
        if isinstance(root, ast.Name):
            out.add(root.id)
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, (ast.Store, ast.Del)):
            out.add(sub.id)
        elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(sub.name)
        elif isinstance(sub, (ast.Import, ast.ImportFrom)):
            for a in sub.names:
                out.add(a.asname or a.name.split(".")[0])
    return out


def _loaded_by(node: ast.stmt) -> set[str]:
    """Free names the statement reads (over-approximated: a function's locals that shadow a
    global also count, which only keeps more)."""
    loads = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    # Mutating a module-level object (x.append(...), x[k] = v, x.attr = v) also reads it.
    for sub in ast.walk(node):
        if isinstance(sub, (ast.Attribute, ast.Subscript)) and isinstance(sub.ctx, ast.Store):
            root = sub.value
            while isinstance(root, (ast.Attribute, ast.Subscript)):
                root = root.value
            if isinstance(root, ast.Name):
                loads.add(root.id)
    return loads - _BUILTINS


def _stores_attribute(node: ast.stmt) -> bool:
    """``base.trainable = False`` and the like: configuring an object the slice built."""
    return isinstance(node, (ast.Assign, ast.AugAssign)) and all(
        isinstance(t, ast.Attribute) for t in (node.targets if isinstance(node, ast.Assign) else [node.target]))


def _receiver(node: ast.stmt, mutating: frozenset[str]) -> str | None:
    """``model`` in ``model.add(...)`` / ``model.compile(...)`` / ``model.trainable = False``."""
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and \
            isinstance(node.value.func, ast.Attribute) and node.value.func.attr in mutating:
        target = node.value.func.value
    elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Attribute):
        target = node.targets[0].value
    else:
        return None
    return target.id if isinstance(target, ast.Name) else None


def _statements(tree: ast.Module) -> list[_Statement]:
    out = []
    for i, node in enumerate(tree.body):
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        calls, dotted = set(), []
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call):
                if isinstance(sub.func, ast.Attribute):
                    calls.add(sub.func.attr)
                elif isinstance(sub.func, ast.Name):
                    calls.add(sub.func.id)
                name = _dotted(sub.func)
                if name:
                    dotted.append(name)
        out.append(_Statement(i, start, node.end_lineno or node.lineno, frozenset(_bound_by(node)),
                              frozenset(_loaded_by(node)), frozenset(calls), tuple(dotted), node))
    return out


def _containing(stmts: list[_Statement], line: int) -> _Statement | None:
    for s in stmts:
        if s.start <= line <= s.end:
            return s
    return None


def _is_setup(s: _Statement, rules: dict) -> bool:
    if isinstance(s.node, (ast.Assign, ast.AugAssign)):
        targets = s.node.targets if isinstance(s.node, ast.Assign) else [s.node.target]
        for t in targets:
            name = _dotted(t.value) if isinstance(t, ast.Subscript) else _dotted(t)
            if name and any(name == p or name.startswith(p + ".") for p in rules["setup_targets"]):
                return True
    return any(d.split(".")[-1] in rules["setup_calls"] or
               any(d == p or d.startswith(p + ".") for p in rules["setup_call_prefixes"])
               for d in s.dotted_calls) and not s.binds - {"_"}


def slice_for(stmts: list[_Statement], lines: list[list[str]], targets: set[int]) -> tuple[str, tuple[int, ...]]:
    """Blank every top-level statement outside the closure of ``targets`` (statement indexes)."""
    rules = _rules()
    drivers = frozenset(rules["driver_methods"])
    mutating = frozenset(rules["mutating_methods"])
    kept: set[int] = set()
    todo = list(targets)
    every_bound = set().union(*(s.binds for s in stmts))
    # Names the pipeline's data and models flow through: bound by the targets, then by every
    # statement downstream that uses one of them and nothing the slice does not already bind
    # (``x = GlobalAveragePooling2D()(x)``, ``model = keras.Model(inputs, outputs)``).
    flow: set[str] = set().union(*(stmts[i].binds for i in targets))
    while True:
        while todo:
            i = todo.pop()
            if i in kept:
                continue
            kept.add(i)
            s = stmts[i]
            for name in s.loads:
                # The latest statement before this one that binds the name (or, for a name bound
                # only later, such as a function called from a def, the first after it).
                before = [t for t in stmts[:i] if name in t.binds]
                after = [t for t in stmts[i + 1:] if name in t.binds]
                for t in (before[-1:] or after[:1]):
                    todo.append(t.index)
        # Forward: callers of kept functions holding a target; drivers using kept names; set-up
        # statements before the first kept statement.
        bound = set().union(*(stmts[i].binds for i in kept))
        defs = {stmts[i].node.name for i in kept
                if isinstance(stmts[i].node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
        first = min(stmts[i].start for i in kept)
        for s in stmts:
            if s.index in kept:
                continue
            # ``model.add(Dense(n))``, ``model.compile(optimizer=Adam(...))``: a mutating call on
            # (or an attribute store into) an object the slice built; the other names it uses are
            # pulled in with it, when the file binds them.
            receiver = _receiver(s.node, mutating)
            configures = s.loads and not (s.binds - bound) and (
                (receiver in bound and s.loads <= bound | every_bound) or
                (s.loads <= bound and (s.calls & mutating or _stores_attribute(s.node))))
            downstream = s.start > first and s.loads & flow and s.loads <= bound
            if downstream:
                flow |= s.binds
            if (s.calls & defs and s.loads & defs) or (s.calls & drivers and s.loads & bound) or \
                    configures or downstream or (s.start < first and _is_setup(s, rules)):
                todo.append(s.index)
        if not todo:
            break
    out = []
    kept_lines: set[int] = set()
    for i in kept:
        kept_lines.update(range(stmts[i].start, stmts[i].end + 1))
    for n, line in enumerate(lines, start=1):
        out.append(line if n in kept_lines else "\n" if line.endswith("\n") else "")
    return "".join(out), tuple(sorted(stmts[i].start for i in kept))


def pipeline_slices(source: str) -> tuple[list[PipelineSlice], int, str | None]:
    """The slices of ``source``, the number of its top-level statements, and why there are none
    (does not parse, no linked pipeline)."""
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    from fixorder import catalog
    from fixorder.analysis.interpreter import analyze
    from fixorder.analysis.values import RAW

    try:
        tree = ast.parse(source)
        module = cst.parse_module(source)
    except (SyntaxError, ValueError, cst.ParserSyntaxError) as exc:
        return [], 0, f"the file does not parse: {str(exc).splitlines()[0]}"
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    analysis = analyze(module, catalog.load())
    stmts = _statements(tree)
    lines = source.splitlines(keepends=True)

    def line_of(node) -> int | None:
        pos = positions.get(node) if node is not None else None
        return pos.start.line if pos is not None else None

    slices: list[PipelineSlice] = []
    seen: set[str] = set()
    linked = [p for p in analysis.pipelines if p.origin.kind == RAW and p.backbone.has_contract
              and not p.backbone.speculative]
    others = [p for p in analysis.pipelines if not any(p is q for q in linked)]
    probe_lines = tuple(sorted({line for line in (line_of(p.node) for p in analysis.probes) if line}))
    # Shape probes are data reaching a backbone too: not judged statically, but runnable.
    for p in [*linked, *others, *analysis.probes]:
        nodes = [p.origin.node, p.backbone.node, p.node, *(s.node for s in p.stages)]
        targets = set()
        for n in nodes:
            line = line_of(n)
            s = _containing(stmts, line) if line else None
            if s is not None:
                targets.add(s.index)
        if not targets:
            continue
        text, kept = slice_for(stmts, lines, targets)
        bline = line_of(p.backbone.node) or 0
        oline = line_of(p.origin.node)
        label = f"{p.backbone.catalog.name} (line {bline}) fed from {p.origin.label}" + \
            (f" (line {oline})" if oline else "")
        if text in seen:
            continue  # two pipelines (train and validation data) with the same slice: run once
        seen.add(text)
        probe = any(p is q for q in analysis.probes)
        slices.append(PipelineSlice(label, p.backbone.catalog.name, bline, text, kept,
                                    any(p is q for q in linked), () if probe else probe_lines))
    if not slices:
        return [], len(stmts), "fixorder links no pipeline to a keras.applications backbone in this file"
    return slices, len(stmts), None
