"""Applying a callable value that an API receives (``ds.map(fn)``, ``tf.py_function(fn, ...)``,
``strategy.run(fn, args=...)``) to the values the API would pass it."""

from __future__ import annotations

import libcst as cst

from fixorder.analysis.calls import BoundMethod, Call
from fixorder.analysis.values import AUGMENT, OPAQUE, UNKNOWN_VALUE, Flow, Function, Stage, TupleValue, Value


def apply(it, fn: Value, args: list[Value], call: Call, callee: cst.CSTNode | None = None) -> Value:
    """``fn(*args)``; UNKNOWN when ``fn`` is nothing the analysis can follow."""
    if isinstance(fn, Function):
        return it.call_function(fn, list(args), {}, call.node)
    if isinstance(fn, BoundMethod):
        return it.call_function(fn.function, [fn.instance, *args], {}, call.node)
    if args and isinstance(args[0], Flow):
        return it.apply_callable(fn, args[0], call, callee)
    return UNKNOWN_VALUE


def items(value: Value | None) -> list[Value]:
    """The values of a literal list or tuple argument (``[x]``, ``(batch,)``); a single value alone."""
    if isinstance(value, TupleValue):
        return list(value.items)
    return [] if value is None else [value]


def argument(call: Call, position: int, *keywords: str) -> tuple[Value | None, cst.BaseExpression | None]:
    """An argument given at ``position`` or under one of ``keywords``, with its expression."""
    if len(call.args) > position:
        return call.args[position], call.arg_nodes[position].value
    for keyword in keywords:
        if keyword in call.kwargs:
            return call.kwargs[keyword], call.kwarg_nodes[keyword].value
    return None, None


def join(a: Value, b: Value, node: cst.CSTNode, label: str) -> Value:
    """The value after one of two branches ran: equal branches give that value; image flows that
    differ only by augmentation give the augmented one (augmentation keeps the value range);
    other flows of one source continue past an opaque step; anything else is unknown."""
    if a is b:
        return a
    if isinstance(a, TupleValue) and isinstance(b, TupleValue) and len(a.items) == len(b.items):
        return TupleValue(tuple(join(x, y, node, label) for x, y in zip(a.items, b.items)))
    if not (isinstance(a, Flow) and isinstance(b, Flow)) or a.origin is not b.origin:
        return UNKNOWN_VALUE
    plain_a = [s for s in a.stages if s.kind != AUGMENT]
    plain_b = [s for s in b.stages if s.kind != AUGMENT]
    if len(plain_a) == len(plain_b) and all(x is y or x.node is y.node for x, y in zip(plain_a, plain_b)):
        return a if len(a.stages) >= len(b.stages) else b
    common = 0
    for x, y in zip(a.stages, b.stages):
        if x is not y:
            break
        common += 1
    return Flow(a.origin, a.stages[:common] + (Stage(OPAQUE, label, node),), a.dataset and b.dataset,
                a.features and b.features)
