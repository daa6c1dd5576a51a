"""The image-flow interpreter: walks a module once and assembles pipelines.

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

from typing import Iterable

import libcst as cst

from fixorder.analysis import names
from fixorder.analysis.values import (
    AUGMENT, MODEL_INPUT, NEUTRAL, NORMALIZE, OPAQUE, PARAM, PREPROCESS, RAW, SCALE, UNKNOWN,
    UNKNOWN_VALUE, BackboneUse, ClassValue, Entry, FoldSite, Flow, Function, Generator, Instance,
    Number, Origin, Pipeline, Ref, Stage, Transform, TupleValue, Value,
)
from fixorder.catalog import Catalog, api

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
TOLERANCE = 1e-6

TF_MEAN = (127.5, 127.5, 127.5)
TORCH_MEAN = (0.485 * 255, 0.456 * 255, 0.406 * 255)
TORCH_VAR = ((0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2)


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

    def copy(self) -> Env:
        new = Env(self.parent, self.scope)
        new.vars = dict(self.vars)
        return new


class Frame:
    def __init__(self, function: Function | None):
        self.function = function
        self.returns: list[Value] = []


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(1.0, abs(b))


def classify_affine(scale: float, offset: float) -> tuple[str, str | None, str]:
    """(stage kind, mode or contract, label) of ``x * scale + offset``."""
    if _close(scale, 1 / 255) and _close(offset, 0.0):
        return SCALE, "unit", "x / 255"
    if (_close(scale, 1 / 127.5) or _close(scale, 2 / 255)) and _close(offset, -1.0):
        return PREPROCESS, "tf", "x / 127.5 - 1"
    if _close(scale, 1 / 128) and _close(offset, -1.0):
        return SCALE, "tf128", "x / 128 - 1"
    if _close(scale, 1.0) and _close(offset, 0.0):
        return NEUTRAL, None, "x"
    return OPAQUE, None, f"x * {scale:g} + {offset:g}"


class Analysis:
    """The result of interpreting one module."""

    def __init__(self) -> None:
        self.pipelines: list[Pipeline] = []
        self.backbones: list[BackboneUse] = []
        self.imports: dict[str, str] = {}  # module-level name -> qualified import
        self.binding_counts: dict[str, int] = {}  # name -> bindings anywhere (collision checks)
        self.truncated = False  # the work budget ran out: some calls were not followed


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

    # ------------------------------------------------------------------ driver
    def run(self) -> Analysis:
        env = Env()
        self.exec_block(self.module.body, env)
        # Functions nobody called in this file still describe pipelines (a build_model()
        # used elsewhere, a training step): interpret them once with placeholder arguments.
        index = 0
        while index < len(self.functions):
            fn = self.functions[index]
            index += 1
            if fn.node in self.called or fn.owner is not None:
                continue
            params = self._params(fn.node)
            args = [Flow(Origin(PARAM, p, f"parameter '{p.name.value}'")) for p in params]
            self.call_function(fn, args, {}, None)
        self._finalize()
        if self.load_weights_called:
            for use in self.result.backbones:
                use.weights_loaded_later = True
        return self.result

    def _finalize(self) -> None:
        for origin, pipelines in self.pending.items():
            # A call skipped for the budget may have fed the model: no "never fed data" claims.
            if origin in self.resolved or self.result.truncated:
                continue
            self.result.pipelines.extend(pipelines)

    # ------------------------------------------------------------- pipelines
    def record(self, pipeline: Pipeline) -> None:
        if pipeline.origin.substitutable:
            self.pending.setdefault(pipeline.origin, []).append(pipeline)
        else:
            self.result.pipelines.append(pipeline)

    def substitute(self, origin: Origin | None, flow: Flow) -> None:
        """Data ``flow`` is fed where ``origin`` was a placeholder."""
        if origin is None or flow.features:
            return
        self.resolved.add(origin)
        for p in list(self.pending.get(origin, ())):
            fold = flow.fold_site if all(s.kind == NEUTRAL for s in p.stages) else p.fold_site
            self.record(Pipeline(flow.origin, flow.stages + p.stages, p.backbone, p.entry, p.node, fold))

    # ------------------------------------------------------------ statements
    def exec_block(self, body: Iterable[cst.CSTNode], env: Env) -> None:
        for stmt in body:
            self.exec_stmt(stmt, env)

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
            self.eval(stmt.test, env)
            self.exec_branches(env, [stmt.body.body, self._else_body(stmt.orelse)])
        elif isinstance(stmt, (cst.For, cst.While)):
            if isinstance(stmt, cst.For):
                iterated = self.eval(stmt.iter, env)
                loop_env = env.copy()
                item = iterated if isinstance(iterated, Flow) else UNKNOWN_VALUE
                self.assign_target(stmt.target, item, loop_env, stmt)
                self.exec_block(stmt.body.body, loop_env)
                self.merge(env, [loop_env, env.copy()])
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
            self.exec_block(stmt.body.body, env)
            for handler in stmt.handlers:
                if handler.name is not None:
                    self.assign_target(handler.name.name, UNKNOWN_VALUE, env, stmt)
                self.exec_block(handler.body.body, env)
            if stmt.orelse is not None:
                self.exec_block(stmt.orelse.body.body, env)
            if stmt.finalbody is not None:
                self.exec_block(stmt.finalbody.body.body, env)
        elif hasattr(stmt, "body") and isinstance(getattr(stmt, "body"), cst.BaseSuite):
            body = stmt.body
            self.exec_block(getattr(body, "body", ()), env)

    @staticmethod
    def _else_body(orelse: cst.If | cst.Else | None) -> list:
        if orelse is None:
            return []
        if isinstance(orelse, cst.If):
            return [orelse]
        return list(orelse.body.body)

    def exec_branches(self, env: Env, bodies: list) -> None:
        branch_envs = []
        for body in bodies:
            branch = env.copy()
            self.exec_block(body, branch)
            branch_envs.append(branch)
        self.merge(env, branch_envs)

    @staticmethod
    def merge(env: Env, branches: list[Env]) -> None:
        """After branches, a name keeps its value only if every branch agrees on it."""
        keys = set().union(*(b.vars.keys() for b in branches))
        for key in keys:
            values = [b.vars.get(key) for b in branches]
            first = values[0]
            env.vars[key] = first if all(v is first for v in values) and first is not None else UNKNOWN_VALUE

    def exec_small(self, small: cst.BaseSmallStatement, env: Env, stmt: cst.CSTNode) -> None:
        if isinstance(small, cst.Assign):
            value = self.eval(small.value, env)
            for target in small.targets:
                self.assign_target(target.target, value, env, stmt)
        elif isinstance(small, cst.AnnAssign):
            if small.value is not None:
                self.assign_target(small.target, self.eval(small.value, env), env, stmt)
        elif isinstance(small, cst.AugAssign):
            value = self.binary(self.eval(small.target, env), small.operator, self.eval(small.value, env), small)
            self.assign_target(small.target, value, env, stmt)
        elif isinstance(small, cst.Expr):
            self.eval(small.value, env)
        elif isinstance(small, cst.Return):
            value = self.eval(small.value, env) if small.value is not None else UNKNOWN_VALUE
            self.frames[-1].returns.append(value)
        elif isinstance(small, cst.Import):
            for alias in small.names:
                dotted = _dotted(alias.name)
                if alias.asname is not None:
                    name = _name_of(alias.asname.name)
                    self.bind(env, name, Ref(dotted, alias.name))
                else:
                    top = dotted.split(".")[0]
                    self.bind(env, top, Ref(top, alias.name))
                    name = top
                if env.parent is None:
                    self.result.imports[name] = dotted if alias.asname is not None else name
        elif isinstance(small, cst.ImportFrom):
            if small.relative or small.module is None or isinstance(small.names, cst.ImportStar):
                if not isinstance(small.names, cst.ImportStar):
                    for alias in small.names:
                        self.bind(env, _name_of((alias.asname.name if alias.asname else alias.name)),
                                  UNKNOWN_VALUE)
                return
            base = _dotted(small.module)
            for alias in small.names:
                qualified = f"{base}.{_dotted(alias.name)}"
                name = _name_of(alias.asname.name) if alias.asname else _dotted(alias.name)
                self.bind(env, name, Ref(qualified, alias.name))
                if env.parent is None:
                    self.result.imports[name] = qualified
        elif isinstance(small, (cst.Global, cst.Nonlocal, cst.Pass, cst.Break, cst.Continue)):
            return
        elif isinstance(small, cst.Del):
            return
        elif isinstance(small, (cst.Raise, cst.Assert)):
            return

    def bind(self, env: Env, name: str, value: Value) -> None:
        env.vars[name] = value
        counts = self.result.binding_counts
        counts[name] = counts.get(name, 0) + 1

    def assign_target(self, target: cst.BaseExpression, value: Value, env: Env, stmt: cst.CSTNode) -> None:
        if isinstance(target, cst.Name):
            name = target.value
            if isinstance(value, Transform) and value.binding is None and self._augmentation_only(value):
                value.binding = (stmt, name, env.scope)
            self.bind(env, name, value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            items = value.items if isinstance(value, TupleValue) else ()
            if isinstance(value, Flow):  # images, labels = batch: the images come first
                items = (Flow(value.origin, value.stages, False, value.features, value.fold_site),)
            for i, element in enumerate(target.elements):
                item = items[i] if i < len(items) and not isinstance(element, cst.StarredElement) else UNKNOWN_VALUE
                inner = element.value if not isinstance(element, cst.StarredElement) else element.value
                self.assign_target(inner, item, env, stmt)
        elif isinstance(target, cst.Attribute):
            owner = self.eval(target.value, env)
            if isinstance(owner, Instance):
                owner.attrs[target.attr.value] = value

    @staticmethod
    def _augmentation_only(t: Transform) -> bool:
        stages = t.output.stages if t.kind == "sequential" and t.output is not None else t.stages
        return (t.kind in ("layer", "sequential") and any(s.kind == AUGMENT for s in stages)
                and all(s.kind in (AUGMENT, NEUTRAL) for s in stages))

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
        transform = Transform(call, "subclass", input_origin=origin)
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
    def _params(node: cst.FunctionDef | cst.Lambda) -> list[cst.Param]:
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
        params = self._params(node)
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
        returns = [r for r in frame.returns if r is not UNKNOWN_VALUE]
        if not returns:
            return UNKNOWN_VALUE
        if all(r is returns[0] for r in returns) or len(returns) == 1:
            return returns[0]
        flows = [r for r in returns if isinstance(r, (Flow, TupleValue))]
        return flows[-1] if len(flows) == 1 else UNKNOWN_VALUE

    # ------------------------------------------------------------ expressions
    def eval(self, node: cst.BaseExpression | None, env: Env) -> Value:
        if node is None:
            return UNKNOWN_VALUE
        if isinstance(node, cst.Name):
            value = env.get(node.value)
            return value if value is not None else UNKNOWN_VALUE
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
            if isinstance(value, Number) and isinstance(node.operator, cst.Minus):
                return Number(-value.value)
            return value if isinstance(node.operator, cst.Plus) else UNKNOWN_VALUE
        if isinstance(node, cst.BinaryOperation):
            return self.binary(self.eval(node.left, env), node.operator, self.eval(node.right, env), node)
        if isinstance(node, (cst.Tuple, cst.List)):
            return TupleValue(tuple(self.eval(e.value, env) for e in node.elements))
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
                return base
            return UNKNOWN_VALUE
        if isinstance(node, cst.IfExp):
            body, orelse = self.eval(node.body, env), self.eval(node.orelse, env)
            return body if body is orelse else UNKNOWN_VALUE
        if isinstance(node, (cst.NamedExpr,)):
            value = self.eval(node.value, env)
            self.assign_target(node.target, value, env, self.statement)
            return value
        if isinstance(node, (cst.Await,)):
            return self.eval(node.expression, env)
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
        return self.affine(flow, scale, offset, node)

    def affine(self, flow: Flow, scale: float, offset: float, node: cst.CSTNode, label: str | None = None) -> Flow:
        stages = flow.stages
        last = stages[-1] if stages else None
        if last is not None and "affine" in last.details and last.details.get("arithmetic") and label is None:
            s1, o1 = last.details["affine"]
            scale, offset = s1 * scale, o1 * scale + offset
            first_node = last.details.get("first_node", last.node)
            stages = stages[:-1]
        else:
            first_node = node
        kind, mode, text = classify_affine(scale, offset)
        stage = Stage(kind, label or text, node, mode=mode,
                      details={"affine": (scale, offset), "arithmetic": label is None, "first_node": first_node})
        return Flow(flow.origin, stages + (stage,), flow.dataset, flow.features, None)

    def attribute(self, owner: Value, node: cst.Attribute) -> Value:
        attr = node.attr.value
        if isinstance(owner, Ref):
            return Ref(f"{owner.qualified}.{attr}", node)
        if isinstance(owner, Instance):
            if attr in owner.attrs:
                return owner.attrs[attr]
            method = owner.cls.methods.get(attr)
            if method is not None:
                return _BoundMethod(method, owner)
            if owner.transform is not None:
                return _Method(owner.transform, attr, node)
            return UNKNOWN_VALUE
        if isinstance(owner, Transform):
            if attr in ("input", "inputs") and owner.backbone is not None:
                return Flow(self.backbone_input(owner, node))
            if attr in ("input", "inputs") and owner.input_origin is not None:
                return Flow(owner.input_origin)
            if attr in ("output", "outputs") and owner.backbone is not None:
                return Flow(self.backbone_input(owner, node), features=True)
            if attr in ("output", "outputs") and owner.output is not None:
                return owner.output
            return _Method(owner, attr, node)
        if isinstance(owner, (Flow, Generator)):
            return _Method(owner, attr, node)
        return UNKNOWN_VALUE

    def backbone_input(self, t: Transform, node: cst.CSTNode) -> Origin:
        """``base.input``: the backbone's own input placeholder, fed when the model built on it is."""
        if t not in self.backbone_inputs:
            use = t.backbone
            origin = Origin(MODEL_INPUT, node, f"{use.catalog.name}.input", substitutable=True)
            self.backbone_inputs[t] = origin
            entry = Entry("none", None, reason=f"the model is built on {use.catalog.name}'s own input "
                                               "(base.input); rebuild it with input_tensor= to insert preprocessing")
            self.record(Pipeline(origin, (), use, entry, use.node))
        return self.backbone_inputs[t]

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
            elif arg.star:
                continue
            else:
                args.append(value)
                arg_nodes.append(arg)
        call = _Call(node, args, kwargs, arg_nodes, kwarg_nodes, env, self.statement)
        if isinstance(func, Ref):
            return self.call_ref(func, call)
        if isinstance(func, Transform) or (isinstance(func, Instance) and func.transform is not None):
            return self.feed(func if isinstance(func, Transform) else func.transform, call, "__call__")
        if isinstance(func, _Method):
            return self.call_method(func, call)
        if isinstance(func, _BoundMethod):
            return self.call_function(func.function, [func.instance, *args], kwargs, node)
        if isinstance(func, Function):
            return self.call_function(func, args, kwargs, node)
        if isinstance(func, ClassValue):
            return self.instantiate(func, args, kwargs, node)
        if isinstance(node.func, cst.Name) and node.func.value in BUILTIN_PASSTHROUGH and env.get(node.func.value) is None:
            return args[0] if args and isinstance(args[0], Flow) else UNKNOWN_VALUE
        return self.opaque_call(call)

    def opaque_call(self, call: _Call) -> Value:
        for value in call.args:
            if isinstance(value, Flow):
                return value.then(Stage(OPAQUE, _source(self.module, call.node.func), call.node))
        return UNKNOWN_VALUE

    def call_method(self, method: _Method, call: _Call) -> Value:
        owner, name = method.owner, method.name
        if isinstance(owner, Transform):
            if name == "add" and call.args:
                return self.sequential_add(owner, call)
            if name in api.MODEL_FEEDING_METHODS:
                return self.feed(owner, call, name)
            if name == "load_weights":
                self.load_weights_called = True
            return UNKNOWN_VALUE
        if isinstance(owner, Generator):
            if name in api.GENERATOR_FLOW_METHODS:
                source = call.args[0] if call.args else call.kwargs.get("x")
                origin = source.origin if isinstance(source, Flow) and name == "flow" else Origin(
                    RAW, call.node, f"ImageDataGenerator.{name}")
                base = source.stages if isinstance(source, Flow) and name == "flow" else ()
                return Flow(origin, base + owner.stages, dataset=True)
            return UNKNOWN_VALUE
        if isinstance(owner, Flow):
            if name in api.DATASET_MAP_METHODS and call.args:
                return self.dataset_map(owner, call.args[0], call)
            if name in api.PASSTHROUGH_METHODS:
                return owner
            if name in ("__iter__", "as_numpy_iterator"):
                return owner
            return UNKNOWN_VALUE
        return UNKNOWN_VALUE

    def dataset_map(self, ds: Flow, fn: Value, call: _Call) -> Value:
        element = Flow(ds.origin, ds.stages, False, ds.features, ds.fold_site)
        if isinstance(fn, Function):
            arity = len(self._params(fn.node))
            args: list[Value] = [element] + [UNKNOWN_VALUE] * max(0, arity - 1)
            out = self.call_function(fn, args, {}, call.node)
        else:
            out = self.apply_callable(fn, element, call, call.arg_nodes[0].value if call.arg_nodes else None)
        if isinstance(out, TupleValue) and out.items:
            out = out.items[0]
        if isinstance(out, Flow):
            return Flow(out.origin, out.stages, True, out.features, out.fold_site)
        return ds.then(Stage(OPAQUE, "map", call.node))

    def apply_callable(self, fn: Value, flow: Flow, call: _Call, callee: cst.CSTNode | None = None) -> Value:
        """Apply any callable value to ``flow`` (a .map argument, a preprocessing_function)."""
        fake = _Call(call.node, [flow], {}, [], {}, call.env, call.statement, callee)
        if isinstance(fn, Ref):
            return self.call_ref(fn, fake)
        if isinstance(fn, Transform):
            return self.feed(fn, fake, "__call__")
        if isinstance(fn, Instance) and fn.transform is not None:
            return self.feed(fn.transform, fake, "__call__")
        if isinstance(fn, Function):
            return self.call_function(fn, [flow], {}, call.node)
        return flow.then(Stage(OPAQUE, "function", call.node))

    def feed(self, t: Transform, call: _Call, method: str) -> Value:
        """Data reaches ``t``: a call, fit, predict or evaluate."""
        data_values = []
        if call.args:
            data_values.append((call.args[0], call.arg_nodes[0].value if call.arg_nodes else None))
        elif "x" in call.kwargs:
            data_values.append((call.kwargs["x"], call.kwarg_nodes["x"].value))
        elif "inputs" in call.kwargs:
            data_values.append((call.kwargs["inputs"], call.kwarg_nodes["inputs"].value))
        if method in ("fit", "fit_generator") and "validation_data" in call.kwargs:
            val = call.kwargs["validation_data"]
            if isinstance(val, TupleValue) and val.items:
                val = val.items[0]
            data_values.append((val, None))
        result: Value = UNKNOWN_VALUE
        for i, (value, value_node) in enumerate(data_values):
            if isinstance(value, TupleValue) and value.items:
                value = value.items[0]
            flow = value if isinstance(value, Flow) else Flow(Origin(UNKNOWN, value_node, "unknown data"))
            out = self.apply(t, flow, call, value_node, None)
            if i == 0:
                result = out
        return result if method in ("__call__", "call", "predict", "predict_on_batch") else UNKNOWN_VALUE

    def apply(self, t: Transform, flow: Flow, call: _Call | None, arg_node: cst.CSTNode | None,
              entry: Entry | None) -> Flow:
        """``t`` applied to ``flow``; records pipelines where the flow reaches a backbone."""
        if flow.features:
            return flow
        if t.kind == "backbone":
            use = t.backbone
            if entry is None:
                entry = Entry("wrap", arg_node, statement=call.statement if call else None) if arg_node is not None \
                    else Entry("none", None, reason="the image is not passed as an expression")
            node = call.node if call is not None and entry.kind == "wrap" else (entry.node or t.node)
            if entry.kind == "seq":
                node = entry.node.value
            self.record(Pipeline(flow.origin, flow.stages, use, entry, node, flow.fold_site))
            return Flow(flow.origin, flow.stages, flow.dataset, True)
        if t.kind == "layer":
            out = flow.then(*_applied(t.stages, call))
            if call is not None and t.binding is not None and any(s.kind == AUGMENT for s in t.stages):
                out.fold_site = self.fold_site(t, call)
            return out
        # Containers: a Sequential, a Functional model, a subclassed model.
        self.substitute(t.input_origin, flow)
        if t.output is not None and t.output.origin is t.input_origin:
            out = Flow(flow.origin, flow.stages + _applied(t.output.stages, call), flow.dataset, t.output.features)
            if call is not None and t.binding is not None and not t.output.features:
                out.fold_site = self.fold_site(t, call)
            return out
        return Flow(flow.origin, flow.stages + (Stage(OPAQUE, "model", t.node),), flow.dataset, True)

    def fold_site(self, t: Transform, call: _Call) -> FoldSite | None:
        node = call.node
        if not isinstance(node.func, cst.Name) or node.func.value != t.binding[1]:
            return None
        statement, _, scope = t.binding
        return FoldSite(node, t, statement, scope, call.env.scope)

    def sequential_add(self, seq: Transform, call: _Call) -> Value:
        layer = call.args[0]
        stmt = call.statement
        if seq.output is None:
            seq.output = Flow(seq.input_origin)
        seq.layer_count += 1
        if isinstance(layer, Flow):  # model.add(Input(...))
            return UNKNOWN_VALUE
        if isinstance(layer, Instance) and layer.transform is not None:
            layer = layer.transform
        if isinstance(layer, Transform):
            entry = Entry("add", stmt, container=call.node.func.value
                          if isinstance(call.node.func, cst.Attribute) else None, statement=stmt,
                          first=seq.layer_count == 1)
            seq.output = self.apply(layer, seq.output, None, None, entry)
        else:
            seq.output = seq.output.then(Stage(OPAQUE, "layer", call.node))
        seq.stages = seq.output.stages
        return UNKNOWN_VALUE

    # ------------------------------------------------------- known Keras/TF API
    def call_ref(self, ref: Ref, call: _Call) -> Value:
        qualified = ref.qualified
        canon = names.canonical(qualified)
        first = call.args[0] if call.args else None
        if canon is not None:
            framework, path = canon
            value = self.call_keras(framework, path, ref, call)
            if value is not None:
                return value
        elif qualified.startswith("keras_cv.layers."):
            name = qualified.rsplit(".", 1)[1]
            if name in self.catalog.keras_cv_layers:
                sensitive = name in self.catalog.keras_cv_layers and (
                    "value_range" not in call.kwargs)
                return Transform(call.node, "layer", (Stage(AUGMENT, name, call.node, range_sensitive=sensitive),))
        if qualified.startswith("tensorflow.image.") or qualified.startswith("tf.image."):
            op = qualified.rsplit(".", 1)[1]
            if op.startswith(("random_", "stateless_random_")) and isinstance(first, Flow):
                info = self.catalog.tf_image_ops.get(op, {"range_sensitive": False})
                return first.then(Stage(AUGMENT, f"tf.image.{op}", call.node,
                                        range_sensitive=info["range_sensitive"]))
        if qualified in api.RAW_SOURCES:
            return Flow(Origin(RAW, call.node, qualified.rsplit(".", 1)[1]), dataset=api.RAW_SOURCES[qualified])
        if qualified in api.RANDOM_SOURCES:
            return self.random_source(qualified, call)
        if qualified in api.PASSTHROUGH:
            return first if isinstance(first, Flow) else UNKNOWN_VALUE
        if qualified in api.UNIT_SCALERS and isinstance(first, Flow):
            return first.then(Stage(SCALE, "convert_image_dtype", call.node, mode="unit"))
        if qualified in api.NORMALIZERS and isinstance(first, Flow):
            return first.then(Stage(NORMALIZE, qualified.rsplit(".", 1)[1], call.node))
        if qualified == "tensorflow.data.Dataset.from_tensor_slices" and first is not None:
            item = first.items[0] if isinstance(first, TupleValue) and first.items else first
            if isinstance(item, Flow):
                return Flow(item.origin, item.stages, True, item.features)
            return UNKNOWN_VALUE
        return self.opaque_call(call)

    def random_source(self, qualified: str, call: _Call) -> Value:
        spec = api.RANDOM_SOURCES[qualified]
        if spec is None:
            return UNKNOWN_VALUE
        keyword, position = spec
        bound = call.kwargs.get(keyword)
        if bound is None and len(call.args) > position:
            bound = call.args[position]
        if isinstance(bound, Number) and bound.value >= api.RAW_MIN_UPPER_BOUND:
            return Flow(Origin(RAW, call.node, "a random batch"))
        return UNKNOWN_VALUE

    def call_keras(self, framework: str, path: str, ref: Ref, call: _Call) -> Value | None:
        parts = path.split(".")
        last = parts[-1]
        first = call.args[0] if call.args else None
        if parts[0] == "applications" and len(parts) >= 2:
            if last in self.catalog.backbones and (len(parts) == 2 or parts[1] in self.catalog.backbone_modules):
                return self.backbone(framework, ref, call)
            if last == "preprocess_input" and len(parts) == 3:
                module = parts[1]
                if module == "imagenet_utils":
                    mode_value = call.kwargs.get("mode")
                    mode_node = call.kwarg_nodes.get("mode")
                    mode = _string(mode_node.value) if mode_node is not None else self.catalog.imagenet_utils_default_mode
                    if mode_value is not None and mode is None:
                        return first.then(Stage(OPAQUE, "imagenet_utils.preprocess_input", call.node)) \
                            if isinstance(first, Flow) else UNKNOWN_VALUE
                else:
                    mode = self.catalog.mode_of_module(module)
                if mode is None:
                    return None
                if isinstance(first, Flow):
                    return first.then(Stage(PREPROCESS, f"{module}.preprocess_input", call.node, mode=mode,
                                            module=module,
                                            details={"callee": call.callee, "statement": call.statement}))
                return UNKNOWN_VALUE
            return None
        if path in api.RAW_SOURCES_KERAS:
            if path.endswith("img_to_array") and isinstance(first, Flow):
                return first
            return Flow(Origin(RAW, call.node, last), dataset=api.RAW_SOURCES_KERAS[path])
        if path in api.PASSTHROUGH_KERAS:
            return first if isinstance(first, Flow) else UNKNOWN_VALUE
        if path == "Input":
            return Flow(Origin(MODEL_INPUT, call.node, "the model input", substitutable=True))
        if path == "Sequential":
            return self.sequential(call)
        if path in ("Model", "engine.training.Model", "engine.functional.Functional"):
            return self.functional(call)
        if parts[0] == "datasets" and len(parts) == 3 and parts[1] in api.IMAGE_DATASETS and last == "load_data":
            images = Flow(Origin(RAW, call.node, f"{parts[1]}.load_data()"))
            return TupleValue((TupleValue((images, UNKNOWN_VALUE)), TupleValue((images, UNKNOWN_VALUE))))
        if path == "preprocessing.image.ImageDataGenerator":
            return self.image_data_generator(call)
        if parts[0] == "layers" and len(parts) == 2:
            return self.layer(framework, last, call)
        return None

    def backbone(self, framework: str, ref: Ref, call: _Call) -> Value:
        name = ref.qualified.rsplit(".", 1)[1]
        entry = self.catalog.backbones[name]
        weights = call.kwarg_nodes.get("weights")
        weights_none = weights is not None and isinstance(weights.value, cst.Name) and weights.value.value == "None"
        flag_node = call.kwarg_nodes.get("include_preprocessing")
        flag: bool | None = None
        unknown_flag = False
        if flag_node is not None:
            if isinstance(flag_node.value, cst.Name) and flag_node.value.value in ("True", "False"):
                flag = flag_node.value.value == "True"
            else:
                unknown_flag = True
        use = BackboneUse(entry, call.node, call.node.func, ref.qualified, framework, weights_none, flag, unknown_flag)
        self.result.backbones.append(use)
        t = Transform(call.node, "backbone", backbone=use)
        tensor = call.kwargs.get("input_tensor")
        if tensor is not None:
            flow = tensor if isinstance(tensor, Flow) else Flow(Origin(UNKNOWN, call.node, "unknown tensor"))
            entry_ = Entry("wrap", call.kwarg_nodes["input_tensor"].value, statement=call.statement)
            self.record(Pipeline(flow.origin, flow.stages, use, entry_, call.node, flow.fold_site))
            # The backbone's own input is the tensor's placeholder: feeding the model feeds it.
            self.backbone_inputs[t] = flow.origin
        return t

    def sequential(self, call: _Call) -> Value:
        origin = Origin(MODEL_INPUT, call.node, "the Sequential model's input", substitutable=True)
        seq = Transform(call.node, "sequential", input_origin=origin)
        seq.output = Flow(origin)
        layers_arg = call.arg_nodes[0].value if call.arg_nodes else (
            call.kwarg_nodes["layers"].value if "layers" in call.kwarg_nodes else None)
        if isinstance(layers_arg, (cst.List, cst.Tuple)):
            seq.list_node = layers_arg
            items = call.args[0].items if call.args and isinstance(call.args[0], TupleValue) else \
                call.kwargs["layers"].items
            for element, value in zip(layers_arg.elements, items):
                if isinstance(value, Flow):  # keras.Input(...) as the first element
                    continue
                if isinstance(value, Instance) and value.transform is not None:
                    value = value.transform
                if isinstance(value, Transform):
                    entry = Entry("seq", element, container=layers_arg, statement=call.statement,
                                  first=element is layers_arg.elements[0])
                    seq.output = self.apply(value, seq.output, None, None, entry)
                else:
                    seq.output = seq.output.then(Stage(OPAQUE, "layer", element))
        elif layers_arg is not None:
            seq.output = seq.output.then(Stage(OPAQUE, "layers", layers_arg))
        seq.stages = seq.output.stages
        return seq

    def functional(self, call: _Call) -> Value:
        inputs = call.args[0] if call.args else call.kwargs.get("inputs")
        outputs = call.args[1] if len(call.args) > 1 else call.kwargs.get("outputs")
        if isinstance(inputs, TupleValue) and inputs.items:
            inputs = inputs.items[0]
        if isinstance(outputs, TupleValue) and outputs.items:
            outputs = outputs.items[0]
        origin = inputs.origin if isinstance(inputs, Flow) else None
        model = Transform(call.node, "model", input_origin=origin)
        if isinstance(outputs, Flow) and origin is not None and outputs.origin is origin:
            model.output = outputs
        return model

    def layer(self, framework: str, name: str, call: _Call) -> Value | None:
        node = call.node
        first = call.args[0] if call.args else None
        if name == "Rescaling":
            scale = first if first is not None else call.kwargs.get("scale")
            offset = call.kwargs.get("offset", call.args[1] if len(call.args) > 1 else Number(0.0))
            if isinstance(scale, Number) and isinstance(offset, Number):
                stage = self.affine(Flow(Origin(UNKNOWN, None, "")), scale.value, offset.value, node,
                                    label="Rescaling").stages[-1]
                kind, mode, text = classify_affine(scale.value, offset.value)
                stage.label = f"Rescaling({text})"
                return Transform(node, "layer", (stage,))
            return Transform(node, "layer", (Stage(OPAQUE, "Rescaling", node),))
        if name == "Normalization":
            return Transform(node, "layer", (self.normalization(call),))
        if name == "Lambda" and first is not None:
            probe_origin = Origin(UNKNOWN, None, "lambda input")
            out = self.apply_callable(first, Flow(probe_origin), call, call.arg_nodes[0].value)
            if isinstance(out, Flow) and out.origin is probe_origin:
                return Transform(node, "layer", out.stages or (Stage(NEUTRAL, "Lambda", node),))
            return Transform(node, "layer", (Stage(OPAQUE, "Lambda", node),))
        if name in ("Input", "InputLayer"):
            return Flow(Origin(MODEL_INPUT, node, "the model input", substitutable=True))
        fw = "tf_keras" if framework in ("tf_keras", "tensorflow.python.keras") else "keras3"
        info = self.catalog.layer(name, fw)
        if info is not None:
            if not info.augmentation:
                return Transform(node, "layer", (Stage(NEUTRAL, name, node),))
            value_range = call.kwarg_nodes.get("value_range")
            stage = Stage(AUGMENT, name, node, range_sensitive=info.range_sensitive,
                          details={"value_range": value_range, "catalog": info})
            return Transform(node, "layer", (stage,))
        if name in api.NEUTRAL_LAYERS:
            return Transform(node, "layer", (Stage(NEUTRAL, name, node),))
        return Transform(node, "layer", (Stage(OPAQUE, name, node),))

    def normalization(self, call: _Call) -> Stage:
        mean = _numbers(call.kwargs.get("mean"))
        variance = _numbers(call.kwargs.get("variance"))
        node = call.node
        if mean and variance:
            if _all_close(mean, TF_MEAN) and _all_close(variance, tuple(m * m for m in TF_MEAN)):
                return Stage(PREPROCESS, "Normalization(tf mode)", node, mode="tf")
            if _all_close(mean, TORCH_MEAN) and _all_close(variance, TORCH_VAR):
                return Stage(PREPROCESS, "Normalization(torch mode)", node, mode="torch")
        return Stage(NORMALIZE, "Normalization", node)

    def image_data_generator(self, call: _Call) -> Value:
        spec = self.catalog.image_data_generator
        stages: list[Stage] = []
        for key, sensitive in spec["augmentation_args"].items():
            arg = call.kwarg_nodes.get(key)
            if arg is not None and not (isinstance(arg.value, cst.Name) and arg.value.value in ("False", "None")):
                stages.append(Stage(AUGMENT, f"ImageDataGenerator({key}=...)", arg, range_sensitive=sensitive,
                                    details={"generator_arg": key}))
        for key in spec["standardize_order"]:
            arg = call.kwarg_nodes.get(key)
            if arg is None or (isinstance(arg.value, cst.Name) and arg.value.value in ("False", "None")):
                continue
            value = call.kwargs[key]
            if key == "preprocessing_function":
                probe = Origin(UNKNOWN, None, "generator input")
                out = self.apply_callable(value, Flow(probe), call, arg.value)
                if isinstance(out, Flow) and out.origin is probe:
                    for s in out.stages:
                        s.details.setdefault("generator_arg", key)
                        s.details.setdefault("arg_node", arg)
                    stages.extend(out.stages)
                else:
                    stages.append(Stage(OPAQUE, "preprocessing_function", arg))
            elif key == "rescale":
                if isinstance(value, Number):
                    kind, mode, text = classify_affine(value.value, 0.0)
                    stages.append(Stage(kind, f"rescale={_source(self.module, arg.value)}", arg, mode=mode,
                                        details={"generator_arg": key, "affine": (value.value, 0.0)}))
                else:
                    stages.append(Stage(OPAQUE, "rescale", arg))
            else:
                stages.append(Stage(NORMALIZE, key, arg, details={"generator_arg": key}))
        return Generator(call.node, tuple(stages))


class _Call:
    __slots__ = ("node", "args", "kwargs", "arg_nodes", "kwarg_nodes", "env", "statement", "callee")

    def __init__(self, node, args, kwargs, arg_nodes, kwarg_nodes, env, statement, callee=None):
        self.node = node
        self.args = args
        self.kwargs = kwargs
        self.arg_nodes = arg_nodes
        self.kwarg_nodes = kwarg_nodes
        self.env = env
        self.statement = statement
        # The expression naming the function: ``node.func`` for a call, the argument for
        # ``ds.map(fn)`` / ``Lambda(fn)`` / ``preprocessing_function=fn``.
        self.callee = callee if callee is not None else getattr(node, "func", None)


class _Method(Value):
    def __init__(self, owner: Value, name: str, node: cst.CSTNode):
        self.owner = owner
        self.name = name
        self.node = node


class _BoundMethod(Value):
    def __init__(self, function: Function, instance: Instance):
        self.function = function
        self.instance = instance


def _applied(stages: tuple[Stage, ...], call: _Call | None) -> tuple[Stage, ...]:
    """Copies of a transform's stages that remember the first call applying them to a flow
    (``x = aug(x)``), so a fix can move a statement of a chain.  The transform's own stages
    are shared by every application and stay unannotated."""
    if call is None:
        return stages
    out = []
    for s in stages:
        if "applied_call" in s.details:
            out.append(s)
            continue
        details = {**s.details, "applied_call": call.node, "applied_statement": call.statement}
        out.append(Stage(s.kind, s.label, s.node, s.range_sensitive, s.mode, s.module, details))
    return tuple(out)


_SUITE_FIELDS = ("body", "orelse", "handlers", "finalbody", "cases")


def count_statements(module: cst.Module) -> int:
    """Statements in the module (small statements and compound ones, nested included): the
    size the work budget is proportional to.  Walks statement fields only, not expressions."""
    count = 0
    stack: list = [module.body]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, cst.SimpleStatementLine):
            count += len(item.body)
        elif isinstance(item, cst.SimpleStatementSuite):
            count += len(item.body)
        elif isinstance(item, cst.BaseSuite):
            stack.append(item.body)
        elif isinstance(item, cst.CSTNode):
            count += 1
            for name in _SUITE_FIELDS:
                child = getattr(item, name, None)
                if child is not None and not isinstance(child, cst.BaseExpression):
                    stack.append(child)
    return count


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def _name_of(node: cst.BaseExpression) -> str:
    return node.value if isinstance(node, cst.Name) else _dotted(node)


def _string(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        return node.evaluated_value if isinstance(node.evaluated_value, str) else None
    return None


def _numbers(value: Value | None) -> tuple[float, ...] | None:
    if isinstance(value, Number):
        return (value.value,) * 3
    if isinstance(value, TupleValue) and value.items and all(isinstance(v, Number) for v in value.items):
        numbers = tuple(v.value for v in value.items)
        return numbers * 3 if len(numbers) == 1 else numbers
    return None


def _all_close(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= 1e-3 * max(1.0, abs(y)) for x, y in zip(a, b))


def _source(module: cst.Module, node: cst.CSTNode) -> str:
    try:
        return module.code_for_node(node)
    except Exception:  # pragma: no cover - code generation of a detached node
        return "call"


def analyze(module: cst.Module, catalog: Catalog) -> Analysis:
    return Interpreter(module, catalog).run()
