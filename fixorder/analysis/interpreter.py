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

from typing import Iterable

import libcst as cst

from fixorder.analysis import models, names, probes, ranges, syntax
from fixorder.analysis.calls import BoundMethod, Call, Method
from fixorder.analysis.models import keras_applications, keras_models
from fixorder.analysis.syntax import count_statements
from fixorder.analysis.values import (
    MODEL_INPUT, NEUTRAL, OPAQUE, PARAM, UNKNOWN_VALUE, BackboneLayer, BackboneLayers, BackboneUse, ClassValue, Flow, Function,
    Generator, Instance, Number, Origin, Pipeline, Ref, Stage, Transform, TupleValue, Value,
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
            params = self.params(fn.node)
            args = [Flow(Origin(PARAM, p, f"parameter '{p.name.value}'")) for p in params]
            self.call_function(fn, args, {}, None)
        self._finalize()
        self.result.pipelines, self.result.probes = probes.split(
            self.module, self.result.pipelines, self.result.layer_calls)
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
        elif isinstance(small, (cst.Raise, cst.Assert)):
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
                items = (Flow(value.origin, value.stages, False, value.features, value.fold_site),)
            for i, element in enumerate(target.elements):
                item = items[i] if i < len(items) and not isinstance(element, cst.StarredElement) else UNKNOWN_VALUE
                inner = element.value if not isinstance(element, cst.StarredElement) else element.value
                self.assign_target(inner, item, env, stmt)
        elif isinstance(target, cst.Attribute):
            owner = self.eval(target.value, env)
            if isinstance(owner, Instance):
                owner.attrs[target.attr.value] = value

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
            if isinstance(base, BackboneLayers) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
                return keras_applications.layer_of(base.backbone, self.eval(node.slice[0].slice.value, env))
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
        if isinstance(owner, (Flow, Generator)):
            return Method(owner, attr, node)
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
            elif arg.star:
                continue
            else:
                args.append(value)
                arg_nodes.append(arg)
        call = Call(node, args, kwargs, arg_nodes, kwarg_nodes, env, self.statement)
        if isinstance(func, Ref):
            return self.call_ref(func, call)
        if isinstance(func, Transform) or (isinstance(func, Instance) and func.transform is not None):
            return keras_models.feed(self, func if isinstance(func, Transform) else func.transform, call, "__call__")
        if isinstance(func, Method):
            return self.call_method(func, call)
        if isinstance(func, BoundMethod):
            return self.call_function(func.function, [func.instance, *args], kwargs, node)
        if isinstance(func, Function):
            return self.call_function(func, args, kwargs, node)
        if isinstance(func, ClassValue):
            return self.instantiate(func, args, kwargs, node)
        if isinstance(node.func, cst.Name) and node.func.value in BUILTIN_PASSTHROUGH and env.get(node.func.value) is None:
            return args[0] if args and isinstance(args[0], Flow) else UNKNOWN_VALUE
        return self.opaque_call(call)

    def opaque_call(self, call: Call) -> Value:
        if any(_model_or_code(v) for v in (*call.args, *call.kwargs.values())):
            self.result.unfollowed_calls.append((call.node, syntax.source(self.module, call.node.func)))
        for value in call.args:
            if isinstance(value, Flow):
                return value.then(Stage(OPAQUE, syntax.source(self.module, call.node.func), call.node))
        return UNKNOWN_VALUE

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
