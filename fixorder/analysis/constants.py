"""Known Python constants: their truth, comparisons of them, and the join of branch values.

The interpreter executes only the taken branch of an ``if`` or ``x if c else y`` whose test is
known here; anything not provably known answers ``None`` (unknown), never a guess.  A flow
that is only a *placeholder* (a parameter, a model input) is not a known object: ``x is None``
on it stays unknown, because the caller may pass ``None``.
"""

from __future__ import annotations

import dataclasses
import operator
from typing import Any

import libcst as cst

from fixorder.analysis.values import (
    AUGMENT, PARAM, UNKNOWN, UNKNOWN_VALUE, ClassValue, Const, DictValue, EmptyArray, Flow, Function, Generator,
    Instance, ListOf, Number, Stage, Transform, TupleValue, Value,
)

_MISSING = object()

_COMPARE = {
    cst.Equal: operator.eq,
    cst.NotEqual: operator.ne,
    cst.LessThan: operator.lt,
    cst.LessThanEqual: operator.le,
    cst.GreaterThan: operator.gt,
    cst.GreaterThanEqual: operator.ge,
}


def python_value(value: Value) -> Any:
    """The Python value of a known constant, ``_MISSING`` for anything else."""
    if isinstance(value, Const):
        return value.value
    if isinstance(value, Number):
        number = value.value
        return int(number) if float(number).is_integer() else number
    if isinstance(value, TupleValue):
        items = tuple(python_value(v) for v in value.items)
        return _MISSING if any(i is _MISSING for i in items) else items
    if isinstance(value, DictValue):
        return {key: None for key in value.items}  # membership tests read the keys only
    return _MISSING


def known(value: Value) -> bool:
    return python_value(value) is not _MISSING


def truth(value: Value) -> bool | None:
    """``bool(value)`` when it is known, else None."""
    if isinstance(value, (TupleValue, DictValue)):
        return bool(value.items)  # a literal list/tuple/dict has a known length
    constant = python_value(value)
    return None if constant is _MISSING else bool(constant)


def constant(py: Any) -> Value:
    """The abstract value of a Python constant."""
    if isinstance(py, bool) or py is None or isinstance(py, str):
        return Const(py)
    if isinstance(py, (int, float)):
        return Number(float(py))
    return UNKNOWN_VALUE


def compare(left: Value, targets: list[tuple[cst.BaseCompOp, Value]]) -> Value:
    """A chained comparison ``left op1 a op2 b``: a ``Const`` bool when every operand is known."""
    if len(targets) == 1 and isinstance(targets[0][0], (cst.Is, cst.IsNot)):
        op, right = targets[0]
        for thing, other in ((left, right), (right, left)):
            if _definite_object(thing) and isinstance(other, Const) and other.value is None:
                return Const(isinstance(op, cst.IsNot))  # an object that exists is not None
    a = python_value(left)
    if a is _MISSING:
        return UNKNOWN_VALUE
    for op, right in targets:
        b = python_value(right)
        if b is _MISSING:
            return UNKNOWN_VALUE
        outcome = _compare_one(a, op, b)
        if outcome is None:
            return UNKNOWN_VALUE
        if not outcome:
            return Const(False)
        a = b
    return Const(True)


def _compare_one(a: Any, op: cst.BaseCompOp, b: Any) -> bool | None:
    try:
        if type(op) in _COMPARE:
            return bool(_COMPARE[type(op)](a, b))
        if isinstance(op, (cst.In, cst.NotIn)):
            inside = a in b
            return inside if isinstance(op, cst.In) else not inside
        if isinstance(op, (cst.Is, cst.IsNot)):
            # Identity is exact only for the singletons: None, True, False.
            if not _singleton(a) and not _singleton(b):
                return None
            same = type(a) is type(b) and a == b
            return same if isinstance(op, cst.Is) else not same
    except TypeError:
        return None
    return None


def _definite_object(value: Value) -> bool:
    """A value that is surely not None: a function, class, layer or model object, or data
    followed from a source (a parameter's placeholder flow may be None at run time)."""
    if isinstance(value, (Function, ClassValue, Instance, Transform, Generator)):
        return True
    return isinstance(value, Flow) and value.origin.kind not in (PARAM, UNKNOWN)


def _singleton(py: Any) -> bool:
    return py is None or isinstance(py, bool)


def optional(stage: Stage) -> Stage:
    """The stage on a path that may or may not run it (one branch of a join)."""
    if stage.details.get("optional"):
        return stage
    return dataclasses.replace(stage, details={**stage.details, "optional": True})


def join(values: list[Value]) -> Value:
    """The value after branches that produced ``values``: one value when they agree, the
    augmented flow when they differ only by augmentation stages, else UNKNOWN."""
    if not values or any(v is None for v in values):
        return UNKNOWN_VALUE
    first = values[0]
    if all(v is first for v in values):
        return first
    if _grown_lists(values):
        # A list grown on one path and left as it was (``[]``) on another: one list of them all.
        return list_of([item for v in values for item in (v.items if isinstance(v, TupleValue) else (v.element,))])
    filled = _array_fill(values)
    if filled is not None:
        return filled
    if known(first):
        py = python_value(first)
        same = all(known(v) and type(python_value(v)) is type(py) and python_value(v) == py for v in values)
        return first if same else UNKNOWN_VALUE
    if all(isinstance(v, Flow) for v in values):
        return _join_flows(values)
    if all(isinstance(v, TupleValue) and len(v.items) == len(first.items) for v in values):
        return TupleValue(tuple(join([v.items[i] for v in values]) for i in range(len(first.items))))
    models = [v for v in values if v is not UNKNOWN_VALUE]
    if len(models) == 1 and _is_model(models[0]):
        # ``model = load_model(p) if exists(p) else build()``: on the path that builds it, data fed
        # to ``model`` reaches the known model, so the pipelines it makes are real on that path.
        return models[0]
    return UNKNOWN_VALUE


def list_of(elements: list[Value]) -> Value:
    """The list whose elements are ``elements``: a ``ListOf`` their joined value, else UNKNOWN."""
    element = join_elements(elements)
    return UNKNOWN_VALUE if element is UNKNOWN_VALUE else ListOf(element)


def join_elements(elements: list[Value]) -> Value:
    """The one value every element of a list carries, as branches join; elements the same code
    made (one ``append`` run once per item of an unrolled loop) count once."""
    distinct: list[Value] = []
    for element in elements:
        if not any(_same_code(element, seen) for seen in distinct):
            distinct.append(element)
    return join(distinct) if distinct else UNKNOWN_VALUE


def _same_code(a: Value, b: Value) -> bool:
    """Two values made by the same expressions: flows from one source node through the same
    stage nodes (a loop's body run for two items).  Placeholders are never merged this way."""
    if a is b:
        return True
    if isinstance(a, Flow) and isinstance(b, Flow):
        x, y = a.origin, b.origin
        if x.node is None or x.node is not y.node or x.substitutable or y.substitutable:
            return False
        if (x.kind, x.label, x.dtype, a.dataset, a.features) != (y.kind, y.label, y.dtype, b.dataset, b.features):
            return False
        return len(a.stages) == len(b.stages) and all(
            s is t or (s.node is t.node and (s.kind, s.label, s.mode, s.details.get("dtype"))
                       == (t.kind, t.label, t.mode, t.details.get("dtype")))
            for s, t in zip(a.stages, b.stages))
    if isinstance(a, ListOf) and isinstance(b, ListOf):
        return _same_code(a.element, b.element)
    if isinstance(a, TupleValue) and isinstance(b, TupleValue):
        return len(a.items) == len(b.items) and all(_same_code(s, t) for s, t in zip(a.items, b.items))
    return False


def _grown_lists(values: list[Value]) -> bool:
    """Lists (ListOf, literal lists) that one path grew more than another: a ListOf among them, or
    literal lists of different lengths each starting with the shortest one's items."""
    if not all(isinstance(v, (ListOf, TupleValue)) for v in values):
        return False
    if any(isinstance(v, ListOf) for v in values):
        return True
    shortest = min(values, key=lambda v: len(v.items)).items
    return any(len(v.items) != len(shortest) for v in values) and all(
        all(x is y for x, y in zip(v.items, shortest)) for v in values)


def _array_fill(values: list[Value]) -> Value | None:
    """An ``np.zeros`` array on paths that wrote images into it (``x[i] = img`` in a loop) and
    on paths that did not: the images written (None when ``values`` are not that)."""
    arrays = [v for v in values if isinstance(v, EmptyArray)]
    flows = [v for v in values if isinstance(v, Flow)]
    if not flows or len(arrays) + len(flows) != len(values):
        return None
    array = flows[0].array
    if array is None or any(f.array is not array for f in flows) or any(a is not array for a in arrays):
        return None
    return join_elements(flows)


def _is_model(value: Value) -> bool:
    return (isinstance(value, Transform) and value.kind in ("model", "sequential", "subclass", "backbone")) or (
        isinstance(value, Instance) and value.transform is not None)


def _join_flows(flows: list[Flow]) -> Value:
    first = flows[0]
    if any(f.origin is not first.origin or f.dataset != first.dataset or f.features != first.features
           for f in flows):
        return UNKNOWN_VALUE
    prefix = 0
    shortest = min(len(f.stages) for f in flows)
    while prefix < shortest and all(f.stages[prefix] is first.stages[prefix] for f in flows):
        prefix += 1
    seen: list[Stage] = []
    for f in flows:
        for stage in f.stages[prefix:]:
            if stage.kind != AUGMENT:
                return UNKNOWN_VALUE  # the paths differ by more than augmentation
            if all(stage is not s for s in seen):
                seen.append(stage)
    extra = [optional(stage) for stage in seen]
    fold = first.fold_site if all(f.fold_site is first.fold_site for f in flows) else None
    return Flow(first.origin, first.stages[:prefix] + tuple(extra), first.dataset, first.features, fold)
