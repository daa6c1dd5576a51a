"""The image-flow interpreter: executes a module's Python once and assembles pipelines.

This module is the Python core: environments, statements, expressions, branches, functions,
classes and calls.  What a *library* call does to an image lives in the API models
(analysis/models/, looked up by name) and in the catalogue tables they read; the interpreter
only resolves the name and hands the call over.

It evaluates statements in order with an environment of abstract values (values.py):
imports become ``Ref``s, catalogue constructors become ``Transform``s, data sources become
``Flow``s, and every time a flow reaches a backbone a ``Pipeline`` is recorded.  Model inputs
(``keras.Input``, a ``Sequential``'s input, a subclassed model's ``call`` argument) are
placeholders: pipelines that start there stay pending until the model is fed data in the
same file (``fit``, ``predict``, a call), which substitutes the data's stages in front.

The interpreter is deliberately conservative: anything it cannot follow becomes an OPAQUE
stage or an UNKNOWN value, and rules do not report through those.
"""

from __future__ import annotations

import builtins
from typing import Iterable

import libcst as cst

from fixorder.analysis import channels, constants, containers, models, names, probes, ranges, syntax
from fixorder.analysis.calls import BoundMethod, Call, Method
from fixorder.analysis.models import keras_applications, keras_models
from fixorder.analysis.syntax import count_statements
from fixorder.analysis.values import (
    MODEL_INPUT, NEUTRAL, OPAQUE, PARAM, RAW, UNKNOWN_VALUE, BackboneLayer, BackboneLayers, BackboneUse, ClassValue,
    Const, DictValue, Elements, EmptyArray, Flow, Function, Generator, Instance, ListOf, Number, Origin, Pipeline,
    Ref, Stage, Transform, TupleValue, Value,
)
from fixorder.catalog import Catalog

__all__ = ["Analysis", "Interpreter", "analyze", "count_statements", "MAX_CALL_DEPTH", "STEPS_PER_STATEMENT"]

MAX_CALL_DEPTH = 6
# The work budget, a safety net against inlining blow-ups (many calls of helpers that call many
# helpers, up to MAX_CALL_DEPTH deep): statements executed plus calls inlined may not exceed
# STEPS_PER_STATEMENT per statement of the module, plus MIN_STEPS.  On the 3,337 files of
# tensorflow, keras and tf_keras and on the testdata no file needs more than 8,721 steps (26 per
# statement, tf_keras' applications/regnet.py); beyond the budget no call is inlined any more
# (see call_function).
STEPS_PER_STATEMENT = 60
MIN_STEPS = 20_000
# Builtins that hand back (an element of) their argument unchanged in value.
BUILTIN_PASSTHROUGH = {"next", "iter", "list", "tuple"}
BUILTIN_CONSTANTS = {"True": True, "False": False, "None": None}
# A loop over a literal list or tuple of at most this many items runs once per item, with the
# loop variable bound to it (``for name in ["vgg16", "resnet50"]``); longer ones run once.
MAX_UNROLL = 16
# The augmented assignment operators as the binary operators they apply.
AUGMENTED_OPERATORS = {
    cst.AddAssign: cst.Add, cst.SubtractAssign: cst.Subtract, cst.MultiplyAssign: cst.Multiply,
    cst.DivideAssign: cst.Divide, cst.PowerAssign: cst.Power, cst.FloorDivideAssign: cst.FloorDivide,
    cst.ModuloAssign: cst.Modulo, cst.MatrixMultiplyAssign: cst.MatrixMultiply,
}


class Env:
    def __init__(self, parent: Env | None = None, scope: cst.CSTNode | None = None):
        self.vars: dict[str, Value] = {}
        self.parent = parent
        self.scope = scope  # the FunctionDef this environment belongs to, None for the module

    def get(self, name: str) -> Value | None:
        env: Env | None = self
        while env is not None:
            if name in env.vars:
                return env.vars[name]
            env = env.parent
        return None

    def holder(self, name: str) -> Env:
        """The environment that binds ``name`` (this one when none does): where a mutation of
        the object it names (``images.append(x)``, ``x[i] = img``) is recorded."""
        env: Env | None = self
        while env is not None:
            if name in env.vars:
                return env
            env = env.parent
        return self

    def copy(self) -> Env:
        new = Env(self.parent, self.scope)
        new.vars = dict(self.vars)
        return new


class Frame:
    def __init__(self, function: Function | None):
        self.function = function
        self.returns: list[Value] = []
        self.yields: list[Value] = []
        self.yielded = False  # a yield ran: the function is a generator
        # "return" or "raise" once the straight-line path ends: later statements are dead.
        self.stopped: str | None = None


class Analysis:
    """The result of interpreting one module."""

    def __init__(self) -> None:
        self.pipelines: list[Pipeline] = []
        self.backbones: list[BackboneUse] = []
        self.imports: dict[str, str] = {}  # module-level name -> qualified import
        self.binding_counts: dict[str, int] = {}  # name -> bindings anywhere (collision checks)
        self.truncated = False  # the work budget ran out: some calls were not followed
        self.layer_calls: set[cst.Call] = set()  # calls that applied a Keras layer (probes.py)
        self.probes: list[Pipeline] = []  # eager shape probes: not judged (probes.py)
        # Calls fixorder could not follow that were handed a model or a function of the file:
        # where data may have been fed out of sight (``strategy.run(step, ...)``), for explain.
        self.unfollowed_calls: list[tuple[cst.Call, str]] = []
        # Pipelines found only when a function whose branches a constant pruned was analysed
        # again with unknown arguments: code this file never runs that way, so rules do not
        # report them (they say which backbones the pruned code would reach).
        self.pruned_pipelines: list[Pipeline] = []

    def is_linked(self, use: BackboneUse) -> bool:
        """Data followed from a known source (not a placeholder, not an unknown call) reaches it."""
        return any(p.backbone is use and p.origin.kind == RAW for p in self.pipelines)

    def backbone_counts(self) -> tuple[int, int]:
        """(pretrained backbones built in code the file runs, how many of them data reaches)."""
        found = [u for u in self.backbones if u.has_contract and not u.speculative]
        return len(found), sum(1 for u in found if self.is_linked(u))


class Interpreter:
    def __init__(self, module: cst.Module, catalog: Catalog):
        self.module = module
        self.catalog = catalog
        self.result = Analysis()
        # Keyed by the objects themselves (identity hashes), never by id(): an id is reused once
        # its object is freed, which silently resolved or redirected unrelated placeholders.
        self.pending: dict[Origin, list[Pipeline]] = {}  # placeholder -> pipelines waiting for data
        self.resolved: set[Origin] = set()
        # Each def or lambda is a new Function (closure) every time its enclosing code runs, but
        # the post-pass analyses each *definition* at most once: keyed by its node, not by
        # closure, or every inlined call would queue fresh copies of its nested functions for
        # analysis, which inline again (exponential on nested helpers, minutes per file).
        self.functions: list[Function] = []  # the first closure made from each definition
        self.defined: set[cst.CSTNode] = set()  # every definition seen
        self.called: set[cst.CSTNode] = set()  # every definition inlined at least once
        self.depth = 0
        self.frames: list[Frame] = [Frame(None)]
        self.statement: cst.CSTNode | None = None
        self.backbone_inputs: dict[Transform, Origin] = {}
        self.load_weights_called = False
        self.steps = 0
        self.budget = MIN_STEPS + STEPS_PER_STATEMENT * count_statements(module)
        self.pruned: dict[cst.CSTNode, Function] = {}  # definitions a known test pruned in some call
        self.speculative = False  # analysing pruned functions again with unknown arguments
        self.generators: dict[cst.CSTNode, bool] = {}  # definition -> has a yield of its own
        self.star_imports: list[str] = []  # Keras modules imported with ``from m import *``

    # ------------------------------------------------------------------ driver
    def run(self) -> Analysis:
        env = Env()
        # A script is analysed as the program it is: ``if __name__ == "__main__":`` runs.
        env.vars["__name__"] = Const("__main__")
        self.exec_block(self.module.body, env)
        # Functions nobody called in this file still describe pipelines (a build_model()
        # used elsewhere, a training step): interpret them once with placeholder arguments.
        index = self.analyse_uncalled(0)
        # A function whose branches a known argument pruned is also analysed once with unknown
        # arguments, so the pruned code is still read; what it finds is set aside (pruned
        # pipelines), because a constant proves this file never runs it.
        self.speculative = True
        loaded = self.load_weights_called  # a load_weights in pruned code never runs here
        done: set[cst.CSTNode] = set()
        while True:
            todo = [fn for node, fn in self.pruned.items() if node not in done and fn.owner is None]
            if not todo:
                break
            for fn in todo:
                done.add(fn.node)
                self.call_with_placeholders(fn)
            index = self.analyse_uncalled(index)
        self.speculative = False
        self.load_weights_called = loaded
        self._finalize()
        self.result.pipelines, self.result.probes = probes.split(
            self.module, self.result.pipelines, self.result.layer_calls)
        if self.load_weights_called:
            for use in self.result.backbones:
                use.weights_loaded_later = True
        return self.result

    def analyse_uncalled(self, index: int) -> int:
        """Analyse the definitions from ``index`` on that nobody called; return the new end."""
        while index < len(self.functions):
            fn = self.functions[index]
            index += 1
            if fn.node in self.called or fn.owner is not None:
                continue
            already_pruned = fn.node in self.pruned
            self.call_with_placeholders(fn)
            if not already_pruned:
                # Pruned with every argument unknown: analysing it again would see the same.
                self.pruned.pop(fn.node, None)
        return index

    def call_with_placeholders(self, fn: Function) -> None:
        params = self.params(fn.node)
        args = [Flow(Origin(PARAM, p, f"parameter '{p.name.value}'")) for p in params]
        self.call_function(fn, args, {}, None)

    def _finalize(self) -> None:
        for origin, pipelines in self.pending.items():
            # A call skipped for the budget may have fed the model: no "never fed data" claims.
            if origin in self.resolved or self.result.truncated:
                continue
            self.result.pipelines.extend(pipelines)

    # ------------------------------------------------------------- pipelines
    def record(self, pipeline: Pipeline) -> None:
        if self.speculative:
            self.result.pruned_pipelines.append(pipeline)
        elif pipeline.origin.substitutable:
            self.pending.setdefault(pipeline.origin, []).append(pipeline)
        else:
            self.result.pipelines.append(pipeline)

    def substitute(self, origin: Origin | None, flow: Flow) -> None:
        """Data ``flow`` is fed where ``origin`` was a placeholder."""
        if origin is None or flow.features:
            return
        if not self.speculative:  # pruned code feeding a model does not make it fed
            self.resolved.add(origin)
        for p in list(self.pending.get(origin, ())):
            fold = flow.fold_site if all(s.kind == NEUTRAL for s in p.stages) else p.fold_site
            self.record(Pipeline(flow.origin, flow.stages + p.stages, p.backbone, p.entry, p.node, fold))

    # ------------------------------------------------------------ statements
    def exec_block(self, body: Iterable[cst.CSTNode], env: Env) -> None:
        frame = self.frames[-1]
        for stmt in body:
            if frame.stopped is not None:
                return  # after a return or raise on this path
            self.exec_stmt(stmt, env)

    def prune(self) -> None:
        """A known test chose one branch: the function is also analysed with unknown arguments."""
        frame = self.frames[-1]
        if frame.function is not None:
            self.pruned.setdefault(frame.function.node, frame.function)

    def exec_stmt(self, stmt: cst.CSTNode, env: Env) -> None:
        self.steps += 1
        previous = self.statement
        self.statement = stmt
        try:
            self._exec_stmt(stmt, env)
        finally:
            self.statement = previous

    def _exec_stmt(self, stmt: cst.CSTNode, env: Env) -> None:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                self.exec_small(small, env, stmt)
        elif isinstance(stmt, cst.FunctionDef):
            fn = Function(stmt, env, stmt.name.value)
            self.define(fn)
            self.bind(env, stmt.name.value, fn)
        elif isinstance(stmt, cst.ClassDef):
            self.exec_class(stmt, env)
        elif isinstance(stmt, cst.If):
            taken = constants.truth(self.eval(stmt.test, env))
            if taken is None:
                self.exec_branches(env, [stmt.body.body, self._else_body(stmt.orelse)])
            else:
                self.prune()
                self.exec_block(stmt.body.body if taken else self._else_body(stmt.orelse), env)
        elif isinstance(stmt, (cst.For, cst.While)):
            if isinstance(stmt, cst.For):
                iterated = self.eval(stmt.iter, env)
                if self.unrollable(iterated, stmt):
                    self.unroll(stmt, iterated.items, env)
                else:
                    loop_env = env.copy()
                    self.assign_target(stmt.target, self.element(iterated), loop_env, stmt)
                    self.exec_branches(env, [stmt.body.body, []], loop_env)
            else:
                self.eval(stmt.test, env)
                self.exec_branches(env, [stmt.body.body, []])
            if stmt.orelse is not None:
                self.exec_block(stmt.orelse.body.body, env)
        elif isinstance(stmt, cst.With):
            for item in stmt.items:
                value = self.eval(item.item, env)
                if item.asname is not None:
                    self.assign_target(item.asname.name, value, env, stmt)
            self.exec_block(stmt.body.body, env)
        elif isinstance(stmt, cst.Try):
            self.exec_try(stmt, env)
        elif hasattr(stmt, "body") and isinstance(getattr(stmt, "body"), cst.BaseSuite):
            body = stmt.body
            self.exec_block(getattr(body, "body", ()), env)

    def exec_try(self, stmt: cst.Try, env: Env) -> None:
        """The body and its ``else`` on one path, each handler on another (started from the
        body's end: any of its statements may have run), joined as branches are; ``finally``
        after the join.  ``try: tpu = resolve() except ValueError: tpu = None`` leaves ``tpu``
        unknown, not None.  A return or raise inside does not end the path after the try."""
        frame = self.frames[-1]
        completed = env.copy()
        self.exec_block(stmt.body.body, completed)
        body_stopped, frame.stopped = frame.stopped, None
        paths = []
        for handler in stmt.handlers:
            path = completed.copy()
            if handler.name is not None:
                self.assign_target(handler.name.name, UNKNOWN_VALUE, path, stmt)
            self.exec_block(handler.body.body, path)
            paths.append((path, frame.stopped))
            frame.stopped = None
        if stmt.orelse is not None and body_stopped is None:
            self.exec_block(stmt.orelse.body.body, completed)
            body_stopped, frame.stopped = frame.stopped, None
        paths.insert(0, (completed, body_stopped))
        live = [path for path, stopped in paths if stopped is None] or [path for path, _ in paths]
        self.merge(env, live)
        if stmt.finalbody is not None:
            self.exec_block(stmt.finalbody.body.body, env)
            frame.stopped = None

    @staticmethod
    def _else_body(orelse: cst.If | cst.Else | None) -> list:
        if orelse is None:
            return []
        if isinstance(orelse, cst.If):
            return [orelse]
        return list(orelse.body.body)

    def exec_branches(self, env: Env, bodies: list, first: Env | None = None) -> None:
        """Run each body from ``env`` (the first from ``first`` if given) and join the branches
        that fall through; when none does (each returns or raises), neither does the whole."""
        frame = self.frames[-1]
        live, ends = [], []
        for i, body in enumerate(bodies):
            branch = first if i == 0 and first is not None else env.copy()
            self.exec_block(body, branch)
            if frame.stopped is None:
                live.append(branch)
            else:
                ends.append(frame.stopped)
                frame.stopped = None
        if live:
            self.merge(env, live)
        else:
            frame.stopped = "raise" if all(e == "raise" for e in ends) else "return"

    @staticmethod
    def merge(env: Env, branches: list[Env]) -> None:
        """After branches, a name keeps a value the branches agree on (constants.join: one value,
        or the flow with the augmentation of branches that differ only by augmentation)."""
        if len(branches) == 1:
            env.vars.update(branches[0].vars)
            return
        keys = set().union(*(b.vars.keys() for b in branches))
        for key in keys:
            env.vars[key] = constants.join([b.vars.get(key) for b in branches])

    # ----------------------------------------------------------------- loops
    def element(self, iterated: Value) -> Value:
        """The loop variable of ``for x in iterated`` (not unrolled)."""
        if isinstance(iterated, Flow):
            return iterated
        if isinstance(iterated, (Elements, ListOf)):
            return iterated.element
        if isinstance(iterated, TupleValue) and iterated.items:
            return constants.join(list(iterated.items))
        if isinstance(iterated, BackboneLayers):  # for layer in base.layers: model.add(layer)
            return BackboneLayer(iterated.backbone, None, every=True)
        return UNKNOWN_VALUE

    @staticmethod
    def unrollable(iterated: Value, stmt: cst.For) -> bool:
        if not isinstance(iterated, TupleValue) or not 0 < len(iterated.items) <= MAX_UNROLL:
            return False
        return not _jumps(stmt.body.body)

    def unroll(self, stmt: cst.For, items: tuple[Value, ...], env: Env) -> None:
        frame = self.frames[-1]
        for item in items:
            self.assign_target(stmt.target, item, env, stmt)
            self.exec_block(stmt.body.body, env)
            if frame.stopped is not None:
                return

    def exec_small(self, small: cst.BaseSmallStatement, env: Env, stmt: cst.CSTNode) -> None:
        if isinstance(small, cst.Assign):
            value = self.eval(small.value, env)
            for target in small.targets:
                self.assign_target(target.target, value, env, stmt)
        elif isinstance(small, cst.AnnAssign):
            if small.value is not None:
                self.assign_target(small.target, self.eval(small.value, env), env, stmt)
        elif isinstance(small, cst.AugAssign):
            operator = AUGMENTED_OPERATORS.get(type(small.operator))
            op = operator() if operator is not None else small.operator
            if isinstance(small.target, cst.Subscript):
                self.subscript_write(small.target, op, self.eval(small.value, env), small, env, stmt)
                return
            current = self.eval(small.target, env)
            if isinstance(op, cst.Add) and isinstance(current, (TupleValue, ListOf)):
                value = containers.grown(current, "extend", [self.eval(small.value, env)])  # images += [x]
            else:
                value = self.binary(current, op, self.eval(small.value, env), small)
            self.assign_target(small.target, value, env, stmt)
        elif isinstance(small, cst.Expr):
            self.eval(small.value, env)
        elif isinstance(small, cst.Return):
            value = self.eval(small.value, env) if small.value is not None else UNKNOWN_VALUE
            self.frames[-1].returns.append(value)
            self.frames[-1].stopped = "return"
        elif isinstance(small, cst.Import):
            for alias in small.names:
                dotted = syntax.dotted(alias.name)
                if alias.asname is not None:
                    name = syntax.name_of(alias.asname.name)
                    self.bind(env, name, Ref(dotted, alias.name))
                else:
                    top = dotted.split(".")[0]
                    self.bind(env, top, Ref(top, alias.name))
                    name = top
                if env.parent is None:
                    self.result.imports[name] = dotted if alias.asname is not None else name
        elif isinstance(small, cst.ImportFrom):
            if isinstance(small.names, cst.ImportStar) and not small.relative and small.module is not None:
                module = syntax.dotted(small.module)
                if names.canonical(module) is not None:
                    self.star_imports.append(module)  # its names resolve lazily (star_ref)
                return
            if small.relative or small.module is None or isinstance(small.names, cst.ImportStar):
                if not isinstance(small.names, cst.ImportStar):
                    for alias in small.names:
                        self.bind(env, syntax.name_of((alias.asname.name if alias.asname else alias.name)),
                                  UNKNOWN_VALUE)
                return
            base = syntax.dotted(small.module)
            for alias in small.names:
                qualified = f"{base}.{syntax.dotted(alias.name)}"
                name = syntax.name_of(alias.asname.name) if alias.asname else syntax.dotted(alias.name)
                self.bind(env, name, Ref(qualified, alias.name))
                if env.parent is None:
                    self.result.imports[name] = qualified
        elif isinstance(small, (cst.Global, cst.Nonlocal, cst.Pass, cst.Break, cst.Continue)):
            return
        elif isinstance(small, cst.Del):
            return
        elif isinstance(small, cst.Raise):
            if self.frames[-1].function is not None:  # a module-level raise: keep reading
                self.frames[-1].stopped = "raise"
        elif isinstance(small, cst.Assert):
            return

    def bind(self, env: Env, name: str, value: Value) -> None:
        env.vars[name] = value
        counts = self.result.binding_counts
        counts[name] = counts.get(name, 0) + 1

    def assign_target(self, target: cst.BaseExpression, value: Value, env: Env, stmt: cst.CSTNode) -> None:
        if isinstance(target, cst.Name):
            name = target.value
            if isinstance(value, Transform) and value.binding is None and keras_models.is_augmentation_only(value):
                value.binding = (stmt, name, env.scope)
            self.bind(env, name, value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            items = value.items if isinstance(value, TupleValue) else ()
            if isinstance(value, Flow):  # images, labels = batch: the images come first
                items = (value.with_dataset(False),)
            for i, element in enumerate(target.elements):
                item = items[i] if i < len(items) and not isinstance(element, cst.StarredElement) else UNKNOWN_VALUE
                inner = element.value if not isinstance(element, cst.StarredElement) else element.value
                self.assign_target(inner, item, env, stmt)
        elif isinstance(target, cst.Attribute):
            owner = self.eval(target.value, env)
            if isinstance(owner, Instance):
                owner.attrs[target.attr.value] = value
        elif isinstance(target, cst.Subscript):
            self.subscript_write(target, None, value, stmt, env, stmt)

    def subscript_write(self, target: cst.Subscript, op: cst.BaseBinaryOp | None, value: Value,
                        node: cst.CSTNode, env: Env, stmt: cst.CSTNode) -> None:
        """``x[...] op= value`` (``op`` None: plain ``=``) changes the image bound to ``x``:
        a literal channel offset exactly, anything else as an OPAQUE step."""
        if not isinstance(target.value, cst.Name):
            return
        image = self.eval(target.value, env)
        name = target.value.value
        if op is None and (isinstance(image, EmptyArray) or (isinstance(image, Flow) and image.array is not None)):
            env.holder(name).vars[name] = containers.written(image, value, node)  # x[i] = img
            return
        if not isinstance(image, Flow):
            return
        channel = channels.channel_index(target)
        if channel is not None and isinstance(value, Number) and isinstance(op, (cst.Add, cst.Subtract)):
            amount = value.value if isinstance(op, cst.Add) else -value.value
            changed = channels.offset(image, channel, amount, node)
        else:
            changed = image.then(Stage(OPAQUE, "subscript write", node))
        self.bind(env, target.value.value, changed)

    # ---------------------------------------------------------------- classes
    def exec_class(self, node: cst.ClassDef, env: Env) -> None:
        is_model = False
        for base in node.bases:
            value = self.eval(base.value, env)
            if isinstance(value, Ref):
                canon = names.canonical(value.qualified)
                if canon and canon[1] in ("Model", "layers.Layer", "Layer", "engine.training.Model"):
                    is_model = True
            elif isinstance(value, ClassValue) and value.is_keras_model:
                is_model = True
        cls = ClassValue(node, env, is_model)
        for stmt in node.body.body:
            if isinstance(stmt, cst.FunctionDef):
                fn = Function(stmt, env, stmt.name.value, owner=cls)
                cls.methods[stmt.name.value] = fn
                self.define(fn)
        self.bind(env, node.name.value, cls)

    def instantiate(self, cls: ClassValue, args: list[Value], kwargs: dict[str, Value], call: cst.Call) -> Value:
        inst = Instance(cls)
        init = cls.methods.get("__init__")
        if init is not None:
            self.call_function(init, [inst, *args], kwargs, call)
        if not cls.is_keras_model:
            return inst
        origin = Origin(MODEL_INPUT, call, f"the input of {cls.node.name.value}", substitutable=True)
        transform = Transform(call, "subclass", input_origin=origin, instance=inst)
        inst.transform = transform
        method = cls.methods.get("call")
        if method is not None:
            out = self.call_function(method, [inst, Flow(origin)], {}, call)
            transform.output = out if isinstance(out, Flow) else None
        return inst

    # ------------------------------------------------------------- functions
    def define(self, fn: Function) -> None:
        if fn.node not in self.defined:
            self.defined.add(fn.node)
            self.functions.append(fn)

    @staticmethod
    def params(node: cst.FunctionDef | cst.Lambda) -> list[cst.Param]:
        p = node.params
        return [*p.posonly_params, *p.params]

    def call_function(self, fn: Function, args: list[Value], kwargs: dict[str, Value],
                      call: cst.Call | None) -> Value:
        self.called.add(fn.node)
        if self.depth >= MAX_CALL_DEPTH or any(f.function is fn for f in self.frames):
            return UNKNOWN_VALUE
        self.steps += 1
        if self.steps > self.budget:
            # Out of budget: the call's result is unknown, as past MAX_CALL_DEPTH; the rest of
            # the module is still walked once (linear), so what it shows is still reported.
            self.result.truncated = True
            return UNKNOWN_VALUE
        node = fn.node
        env = Env(fn.env, scope=node if isinstance(node, cst.FunctionDef) else fn.env.scope)
        params = self.params(node)
        for i, param in enumerate(params):
            name = param.name.value
            if i < len(args):
                value = args[i]
            elif name in kwargs:
                value = kwargs[name]
            else:
                value = self.eval(param.default, fn.env) if param.default is not None else UNKNOWN_VALUE
            env.vars[name] = value
            counts = self.result.binding_counts
            counts[name] = counts.get(name, 0) + 1
        for extra in (node.params.kwonly_params or ()):
            env.vars[extra.name.value] = kwargs.get(extra.name.value, UNKNOWN_VALUE)
        self.depth += 1
        frame = Frame(fn)
        self.frames.append(frame)
        try:
            if isinstance(node, cst.Lambda):
                return self.eval(node.body, env)
            self.exec_block(node.body.body, env)
        finally:
            self.frames.pop()
            self.depth -= 1
        if frame.yielded or self.is_generator(node):
            return self.generated(frame.yields)
        returns = [r for r in frame.returns if r is not UNKNOWN_VALUE]
        if not returns:
            return UNKNOWN_VALUE
        if all(r is returns[0] for r in returns) or len(returns) == 1:
            return returns[0]
        joined = constants.join(returns)
        if joined is not UNKNOWN_VALUE:
            return joined
        flows = [r for r in returns if isinstance(r, (Flow, TupleValue))]
        return flows[-1] if len(flows) == 1 else UNKNOWN_VALUE

    def is_generator(self, node: cst.CSTNode) -> bool:
        """A ``yield`` statement anywhere in the body (a yield the call ran is seen directly;
        this finds those in branches it skipped).  Walks statements only: a CSTVisitor over
        every function body cost more than the whole analysis."""
        if node not in self.generators:
            self.generators[node] = isinstance(node, cst.FunctionDef) and _yields(node.body.body)
        return self.generators[node]

    @staticmethod
    def generated(yields: list[Value]) -> Value:
        """Calling a generator function: a dataset flow of the images it yields (the first item
        of yielded ``(images, labels)`` tuples), else unknown."""
        element = constants.join(yields) if yields else UNKNOWN_VALUE
        if isinstance(element, TupleValue) and element.items:
            element = element.items[0]
        if isinstance(element, Flow) and not element.features:
            return element.with_dataset(True)
        return UNKNOWN_VALUE

    # ------------------------------------------------------------ expressions
    def eval(self, node: cst.BaseExpression | None, env: Env) -> Value:
        if node is None:
            return UNKNOWN_VALUE
        if isinstance(node, cst.Name):
            value = env.get(node.value)
            if value is None and node.value in BUILTIN_CONSTANTS:
                return Const(BUILTIN_CONSTANTS[node.value])
            if value is None and self.star_imports:
                return self.star_ref(node)
            return value if value is not None else UNKNOWN_VALUE
        if isinstance(node, cst.SimpleString):
            return _string_constant(node)
        if isinstance(node, cst.Comparison):
            left = self.eval(node.left, env)
            return constants.compare(left, [(c.operator, self.eval(c.comparator, env)) for c in node.comparisons])
        if isinstance(node, cst.BooleanOperation):
            return self.boolean(node, env)
        if isinstance(node, cst.Dict):
            return self.dict_literal(node, env)
        if isinstance(node, cst.Yield):
            return self.yielded(node, env)
        if isinstance(node, cst.Attribute):
            return self.attribute(self.eval(node.value, env), node)
        if isinstance(node, cst.Call):
            return self.call(node, env)
        if isinstance(node, (cst.Integer, cst.Float)):
            try:
                return Number(float(node.evaluated_value))
            except (ValueError, OverflowError):
                return UNKNOWN_VALUE
        if isinstance(node, cst.UnaryOperation):
            value = self.eval(node.expression, env)
            if isinstance(node.operator, cst.Not):
                truth = constants.truth(value)
                return Const(not truth) if truth is not None else UNKNOWN_VALUE
            if isinstance(value, Number) and isinstance(node.operator, cst.Minus):
                return Number(-value.value)
            return value if isinstance(node.operator, cst.Plus) else UNKNOWN_VALUE
        if isinstance(node, cst.BinaryOperation):
            return self.binary(self.eval(node.left, env), node.operator, self.eval(node.right, env), node)
        if isinstance(node, (cst.Tuple, cst.List)):
            return TupleValue(tuple(self.eval(e.value, env) for e in node.elements))
        if isinstance(node, cst.ListComp):
            return self.list_comprehension(node, env)
        if isinstance(node, cst.Lambda):
            fn = Function(node, env, "<lambda>")
            self.define(fn)
            return fn
        if isinstance(node, cst.Subscript):
            base = self.eval(node.value, env)
            if isinstance(base, TupleValue) and len(node.slice) == 1:
                index = node.slice[0].slice
                if isinstance(index, cst.Index):
                    key = self.eval(index.value, env)
                    if isinstance(key, Number) and float(key.value).is_integer():
                        i = int(key.value)
                        if -len(base.items) <= i < len(base.items):
                            return base.items[i]
                return UNKNOWN_VALUE
            if isinstance(base, Flow):
                return channels.flip(base, node) if channels.is_channel_flip(node) else base
            if isinstance(base, ListOf) and len(node.slice) == 1:  # images[0], images[:n]
                return base.element if isinstance(node.slice[0].slice, cst.Index) else base
            if isinstance(base, BackboneLayers) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
                return keras_applications.layer_of(base.backbone, self.eval(node.slice[0].slice.value, env))
            if isinstance(base, BackboneLayers) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Slice):
                return base  # base.layers[:-1]: still the backbone's layers, from its input on
            return UNKNOWN_VALUE
        if isinstance(node, cst.IfExp):
            taken = constants.truth(self.eval(node.test, env))
            if taken is not None:
                self.prune()
                return self.eval(node.body if taken else node.orelse, env)
            return constants.join([self.eval(node.body, env), self.eval(node.orelse, env)])
        if isinstance(node, (cst.NamedExpr,)):
            value = self.eval(node.value, env)
            self.assign_target(node.target, value, env, self.statement)
            return value
        if isinstance(node, (cst.Await,)):
            return self.eval(node.expression, env)
        return UNKNOWN_VALUE

    def boolean(self, node: cst.BooleanOperation, env: Env) -> Value:
        """``a and b`` / ``a or b``: the operand Python returns when ``a``'s truth is known."""
        left = self.eval(node.left, env)
        truth = constants.truth(left)
        short = truth is (isinstance(node.operator, cst.Or))
        if truth is not None:
            if short:
                self.prune()
                return left
            return self.eval(node.right, env)
        return constants.join([left, self.eval(node.right, env)])

    def dict_literal(self, node: cst.Dict, env: Env) -> Value:
        result = DictValue({})
        known = True
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                key = syntax.string(element.key)
                value = self.eval(element.value, env)
                if key is None:
                    known = False
                else:
                    result.items[key] = value
                    result.nodes[key] = element
            else:  # **other inside the literal
                other = self.eval(element.value, env)
                if isinstance(other, DictValue):
                    result.items.update(other.items)
                    result.nodes.update(other.nodes)
                else:
                    known = False
        return result if known else UNKNOWN_VALUE

    def yielded(self, node: cst.Yield, env: Env) -> Value:
        self.frames[-1].yielded = True
        value = node.value
        if isinstance(value, cst.From):
            inner = self.eval(value.item, env)
            self.frames[-1].yields.append(self.element(inner))
        else:
            self.frames[-1].yields.append(self.eval(value, env) if value is not None else Const(None))
        return UNKNOWN_VALUE  # what the consumer sends back

    def star_ref(self, node: cst.Name) -> Value:
        """An unbound name after ``from <keras module> import *``: a name below the latest
        star-imported module that an API model knows, or below the only one."""
        if hasattr(builtins, node.value):
            return UNKNOWN_VALUE
        for module in reversed(self.star_imports):
            qualified = f"{module}.{node.value}"
            if models.call_models(models.callee(qualified).key):
                return Ref(qualified, node)
        if len(self.star_imports) == 1:
            return Ref(f"{self.star_imports[0]}.{node.value}", node)
        return UNKNOWN_VALUE

    def binary(self, left: Value, op: cst.BaseBinaryOp, right: Value, node: cst.CSTNode) -> Value:
        if isinstance(left, Number) and isinstance(right, Number):
            a, b = left.value, right.value
            try:
                if isinstance(op, cst.Add):
                    return Number(a + b)
                if isinstance(op, cst.Subtract):
                    return Number(a - b)
                if isinstance(op, cst.Multiply):
                    return Number(a * b)
                if isinstance(op, cst.Divide):
                    return Number(a / b)
                if isinstance(op, cst.Power):
                    return Number(a ** b)
            except (ZeroDivisionError, OverflowError):
                return UNKNOWN_VALUE
            return UNKNOWN_VALUE
        flow, number, flow_left = None, None, True
        if isinstance(left, Flow) and isinstance(right, Number):
            flow, number = left, right.value
        elif isinstance(right, Flow) and isinstance(left, Number):
            flow, number, flow_left = right, left.value, False
        if isinstance(left, Flow) and isinstance(op, (cst.Add, cst.Subtract)) and isinstance(right, TupleValue):
            amounts = ranges.numbers(right)
            if amounts is not None and len(right.items) == channels.CHANNELS:
                sign = 1.0 if isinstance(op, cst.Add) else -1.0
                return channels.offsets(left, tuple(sign * a for a in amounts), node)
        if flow is None:
            if isinstance(left, Flow):
                return left.then(Stage(OPAQUE, "arithmetic", node))
            if isinstance(right, Flow):
                return right.then(Stage(OPAQUE, "arithmetic", node))
            return UNKNOWN_VALUE
        if isinstance(op, cst.Divide) and flow_left and number != 0:
            scale, offset = 1 / number, 0.0
        elif isinstance(op, cst.Multiply):
            scale, offset = number, 0.0
        elif isinstance(op, cst.Add):
            scale, offset = 1.0, number
        elif isinstance(op, cst.Subtract) and flow_left:
            scale, offset = 1.0, -number
        else:
            return flow.then(Stage(OPAQUE, "arithmetic", node))
        return ranges.affine(flow, scale, offset, node)

    def attribute(self, owner: Value, node: cst.Attribute) -> Value:
        attr = node.attr.value
        if isinstance(owner, Ref):
            return Ref(f"{owner.qualified}.{attr}", node)
        if isinstance(owner, Instance):
            if attr in owner.attrs:
                return owner.attrs[attr]
            method = owner.cls.methods.get(attr)
            if method is not None:
                return BoundMethod(method, owner)
            if owner.transform is not None:
                return Method(owner.transform, attr, node)
            return UNKNOWN_VALUE
        if isinstance(owner, BackboneLayer):
            return keras_applications.layer_attribute(self, owner, attr, node)
        if isinstance(owner, Transform):
            known = keras_applications.backbone_attribute(self, owner, attr, node)
            if known is not None:
                return known
            if attr in ("input", "inputs") and owner.input_origin is not None:
                return Flow(owner.input_origin)
            if attr in ("output", "outputs") and owner.output is not None:
                return owner.output
            return Method(owner, attr, node)
        if isinstance(owner, (TupleValue, ListOf)) and attr in containers.GROWING_METHODS:
            return Method(owner, attr, node)  # images.append(x): see grow_list
        if isinstance(owner, (Flow, Generator)) or models.method_model(owner, attr) is not None:
            return Method(owner, attr, node)  # an object an API model knows (a dataset, a scaler...)
        return UNKNOWN_VALUE

    # ------------------------------------------------------------------ calls
    def call(self, node: cst.Call, env: Env) -> Value:
        func = self.eval(node.func, env)
        args: list[Value] = []
        kwargs: dict[str, Value] = {}
        arg_nodes: list[cst.Arg] = []
        kwarg_nodes: dict[str, cst.Arg] = {}
        for arg in node.args:
            value = self.eval(arg.value, env)
            if arg.keyword is not None:
                kwargs[arg.keyword.value] = value
                kwarg_nodes[arg.keyword.value] = arg
            elif arg.star == "**":
                if not isinstance(value, DictValue):
                    # Unknown keywords may be any argument: the call is not followed.
                    return self.opaque_call(Call(node, args, kwargs, arg_nodes, kwarg_nodes, env, self.statement))
                kwargs.update(value.items)
                kwarg_nodes.update(value.nodes)
            elif arg.star == "*":
                if not isinstance(value, TupleValue):
                    return self.opaque_call(Call(node, args, kwargs, arg_nodes, kwarg_nodes, env, self.statement))
                args.extend(value.items)
                arg_nodes.extend([arg] * len(value.items))
            else:
                args.append(value)
                arg_nodes.append(arg)
        call = Call(node, args, kwargs, arg_nodes, kwarg_nodes, env, self.statement)
        if isinstance(func, Ref):
            return self.call_ref(func, call)
        if isinstance(func, Transform) or (isinstance(func, Instance) and func.transform is not None):
            return keras_models.feed(self, func if isinstance(func, Transform) else func.transform, call, "__call__")
        if isinstance(func, Method) and func.name in containers.GROWING_METHODS and isinstance(
                func.owner, (TupleValue, ListOf)):
            return self.grow_list(node.func, func, call, env)
        if isinstance(func, Method):
            return self.call_method(func, call)
        if isinstance(func, BoundMethod):
            return self.call_function(func.function, [func.instance, *args], kwargs, node)
        if isinstance(func, Function):
            return self.call_function(func, args, kwargs, node)
        if isinstance(func, ClassValue):
            return self.instantiate(func, args, kwargs, node)
        if isinstance(node.func, cst.Name) and env.get(node.func.value) is None:
            builtin = self.builtin(node.func.value, call)
            if builtin is not None:
                return builtin
        return self.opaque_call(call)

    @staticmethod
    def builtin(name: str, call: Call) -> Value | None:
        """A call of an unshadowed builtin the core follows, None for the others."""
        args = call.args
        if name in BUILTIN_PASSTHROUGH:
            if name == "next" and args and isinstance(args[0], (Elements, ListOf)):
                return args[0].element
            return args[0] if args and isinstance(args[0], (Flow, Elements, ListOf)) else UNKNOWN_VALUE
        if name == "dict" and not args:
            # dict(a=1, b=2): the keyword nodes are the Args of this call.
            return DictValue(dict(call.kwargs), dict(call.kwarg_nodes))
        if name == "enumerate" and 1 <= len(args) <= 2 - len(call.kwargs) and set(call.kwargs) <= {"start"}:
            # Elements (index, element): a loop over enumerate(ds) binds the flow second.
            if isinstance(args[0], ListOf):
                return Elements(TupleValue((UNKNOWN_VALUE, args[0].element)))
            return Elements(TupleValue((UNKNOWN_VALUE, args[0]))) if isinstance(args[0], Flow) else UNKNOWN_VALUE
        if name == "zip" and args and not call.kwargs:
            if all(isinstance(a, TupleValue) for a in args):
                # zip of literal lists: the tuples themselves, so a loop over them unrolls.
                return TupleValue(tuple(TupleValue(items) for items in zip(*(a.items for a in args))))
            if any(isinstance(a, (Flow, ListOf)) for a in args):
                return Elements(TupleValue(tuple(
                    a if isinstance(a, Flow) else a.element if isinstance(a, ListOf) else UNKNOWN_VALUE for a in args)))
            return UNKNOWN_VALUE
        if name == "bool" and len(args) == 1:
            truth = constants.truth(args[0])
            return Const(truth) if truth is not None else UNKNOWN_VALUE
        return None

    def opaque_call(self, call: Call) -> Value:
        if any(_model_or_code(v) for v in (*call.args, *call.kwargs.values())):
            self.result.unfollowed_calls.append((call.node, syntax.source(self.module, call.node.func)))
        for value in call.args:
            if isinstance(value, Flow):
                return value.then(Stage(OPAQUE, syntax.source(self.module, call.node.func), call.node))
        return UNKNOWN_VALUE

    def grow_list(self, func: cst.Attribute, method: Method, call: Call, env: Env) -> Value:
        """``images.append(x)`` / ``images.extend(xs)``: the name (or ``self.`` attribute) holding
        the list holds the grown list (containers.grown) afterwards; a list reached any other
        way (``data["x"].append``) is not tracked."""
        grown = containers.grown(method.owner, method.name, call.args) if not call.kwargs else UNKNOWN_VALUE
        holder = func.value
        if isinstance(holder, cst.Name):
            env.holder(holder.value).vars[holder.value] = grown
        elif isinstance(holder, cst.Attribute):
            owner = self.eval(holder.value, env)
            if isinstance(owner, Instance):
                owner.attrs[holder.attr.value] = grown
        return UNKNOWN_VALUE

    def list_comprehension(self, node: cst.ListComp, env: Env) -> Value:
        """``[load(p) for p in paths if ok(p)]``: the element evaluated once, with each loop
        variable bound to an element of what it iterates (as a loop that is not unrolled)."""
        inner = env.copy()
        clause: cst.CompFor | None = node.for_in
        while clause is not None:
            self.assign_target(clause.target, self.element(self.eval(clause.iter, inner)), inner, self.statement)
            for condition in clause.ifs:
                self.eval(condition.test, inner)
            clause = clause.inner_for_in
        return constants.list_of([self.eval(node.elt, inner)])

    def apply_callable(self, fn: Value, flow: Flow, call: Call, callee: cst.CSTNode | None = None) -> Value:
        """Apply any callable value to ``flow`` (a .map argument, a preprocessing_function)."""
        fake = call.with_args([flow], callee)
        if isinstance(fn, Ref):
            return self.call_ref(fn, fake)
        if isinstance(fn, Transform):
            return keras_models.feed(self, fn, fake, "__call__")
        if isinstance(fn, Instance) and fn.transform is not None:
            return keras_models.feed(self, fn.transform, fake, "__call__")
        if isinstance(fn, Function):
            return self.call_function(fn, [flow], {}, call.node)
        return flow.then(Stage(OPAQUE, "function", call.node))

    # ------------------------------------------------------------ API models
    def call_ref(self, ref: Ref, call: Call) -> Value:
        """A call of an imported name: the first API model that knows it says what it does."""
        callee = models.callee(ref.qualified)
        for model in models.call_models(callee.key):
            value = model(self, call, callee)
            if value is not None:
                return value
        return self.opaque_call(call)

    def call_method(self, method: Method, call: Call) -> Value:
        model = models.method_model(method.owner, method.name)
        return model(self, method.owner, method.name, call) if model is not None else UNKNOWN_VALUE


def _model_or_code(value: Value) -> bool:
    """A model, or code of the file that may feed one (a function, a bound method)."""
    if isinstance(value, TupleValue):
        return any(_model_or_code(v) for v in value.items)
    return isinstance(value, (Transform, Function, BoundMethod)) or (
        isinstance(value, Instance) and value.transform is not None)


def analyze(module: cst.Module, catalog: Catalog) -> Analysis:
    return Interpreter(module, catalog).run()


def _jumps(body) -> bool:
    """A ``break`` or ``continue`` of this loop in ``body`` (nested loops and defs excluded)."""
    stack = list(body)
    while stack:
        item = stack.pop()
        if isinstance(item, cst.SimpleStatementLine):
            if any(isinstance(small, (cst.Break, cst.Continue)) for small in item.body):
                return True
        elif isinstance(item, (cst.If, cst.Else)):
            stack.extend(item.body.body)
            if isinstance(item, cst.If) and item.orelse is not None:
                stack.append(item.orelse)
        elif isinstance(item, (cst.With, cst.Try, cst.ExceptHandler, cst.Finally)):
            stack.extend(item.body.body)
            if isinstance(item, cst.Try):
                stack.extend(item.handlers)
                stack.extend(p for p in (item.orelse, item.finalbody) if p is not None)
    return False


def _yields(body) -> bool:
    """A statement ``yield x`` / ``y = yield x`` in ``body`` (nested defs and classes excluded)."""
    stack = list(body)
    while stack:
        item = stack.pop()
        if isinstance(item, cst.SimpleStatementLine):
            for small in item.body:
                value = getattr(small, "value", None)
                if isinstance(small, (cst.Expr, cst.Assign, cst.AnnAssign, cst.AugAssign)) and isinstance(value, cst.Yield):
                    return True
        elif isinstance(item, (cst.FunctionDef, cst.ClassDef)):
            continue
        elif isinstance(item, cst.CSTNode):
            for name in ("body", "orelse", "handlers", "finalbody"):
                child = getattr(item, name, None)
                if isinstance(child, cst.BaseSuite):
                    stack.extend(child.body)
                elif isinstance(child, (list, tuple)):
                    stack.extend(child)
                elif isinstance(child, cst.CSTNode) and not isinstance(child, cst.BaseExpression):
                    stack.append(child)
    return False


def _string_constant(node: cst.SimpleString) -> Value:
    """The ``str`` of a literal; without escapes its text is its value (ast.literal_eval, which
    ``evaluated_value`` calls, was a tenth of the analysis time on dense scripts)."""
    prefix = node.prefix.lower()
    if "b" in prefix:
        return UNKNOWN_VALUE
    if "\\" not in node.value:
        return Const(node.raw_value)
    text = node.evaluated_value
    return Const(text) if isinstance(text, str) else UNKNOWN_VALUE
