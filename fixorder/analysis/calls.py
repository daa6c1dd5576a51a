"""A call being evaluated, and the callables the interpreter hands to API models."""

from __future__ import annotations

import libcst as cst

from fixorder.analysis.values import Function, Instance, Value


class Call:
    """One evaluated call: its node, argument values and argument nodes, and where it runs."""

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

    @property
    def first(self) -> Value | None:
        return self.args[0] if self.args else None

    def with_args(self, args: list[Value], callee: cst.CSTNode | None = None) -> Call:
        """The same call site applying a callable to ``args`` (a .map argument, a Lambda)."""
        return Call(self.node, args, {}, [], {}, self.env, self.statement, callee)


class Method(Value):
    """``owner.name`` where ``owner`` is a value an API model knows (a model, a dataset...)."""

    def __init__(self, owner: Value, name: str, node: cst.CSTNode):
        self.owner = owner
        self.name = name
        self.node = node


class BoundMethod(Value):
    """A method of a class defined in the analysed file, bound to an instance."""

    def __init__(self, function: Function, instance: Instance):
        self.function = function
        self.instance = instance
