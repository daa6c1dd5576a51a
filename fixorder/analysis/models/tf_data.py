"""``tf.data``: datasets of images and what their methods do to the elements."""

from __future__ import annotations

from fixorder.analysis.calls import Call
from fixorder.analysis.models.registry import Callee, calls, methods
from fixorder.analysis.values import OPAQUE, UNKNOWN_VALUE, Flow, Function, Stage, TupleValue, Value
from fixorder.catalog import api


@calls("tensorflow.data.Dataset.from_tensor_slices")
def from_tensor_slices(it, call: Call, callee: Callee) -> Value | None:
    first = call.first
    if first is None:
        return None
    item = first.items[0] if isinstance(first, TupleValue) and first.items else first
    if isinstance(item, Flow):
        return Flow(item.origin, item.stages, True, item.features)
    return UNKNOWN_VALUE


@methods(Flow, "*")
def flow_method(it, owner: Flow, name: str, call: Call) -> Value:
    if name in api.DATASET_MAP_METHODS and call.args:
        return dataset_map(it, owner, call.args[0], call)
    if name in api.PASSTHROUGH_METHODS or name in ("__iter__", "as_numpy_iterator"):
        return owner
    return UNKNOWN_VALUE


def dataset_map(it, ds: Flow, fn: Value, call: Call) -> Value:
    element = Flow(ds.origin, ds.stages, False, ds.features, ds.fold_site)
    if isinstance(fn, Function):
        arity = len(it.params(fn.node))
        args: list[Value] = [element] + [UNKNOWN_VALUE] * max(0, arity - 1)
        out = it.call_function(fn, args, {}, call.node)
    else:
        out = it.apply_callable(fn, element, call, call.arg_nodes[0].value if call.arg_nodes else None)
    if isinstance(out, TupleValue) and out.items:
        out = out.items[0]
    if isinstance(out, Flow):
        return Flow(out.origin, out.stages, True, out.features, out.fold_site)
    return ds.then(Stage(OPAQUE, "map", call.node))
