"""``tf.data``: datasets of images and what their methods do to the elements.

Datasets of things that are not yet images (file names, serialized records, an unknown array)
have opaque elements: nothing is judged on them until a ``decode_*`` inside a ``.map`` restarts
the flow as raw pixels (the decoders are raw sources, catalog/api.py), and a map that never
decodes stays unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

from fixorder.analysis import containers, ranges
from fixorder.analysis.calls import Call
from fixorder.analysis.models import callables, tensors
from fixorder.analysis.models.registry import Callee, calls, methods
from fixorder.analysis.values import (
    OPAQUE, UNKNOWN, UNKNOWN_VALUE, Flow, Function, ListOf, Origin, Stage, TupleValue, Value,
)
from fixorder.catalog import api


@dataclass(eq=False, repr=False)
class ZippedDataset(Flow):
    """``tf.data.Dataset.zip((a, b))``: the first component's flow, and every component."""

    components: tuple[Value, ...] = ()


def opaque_elements(call: Call, label: str) -> Flow:
    """A dataset whose elements are not (yet) images."""
    return Flow(Origin(UNKNOWN, call.node, label), (Stage(OPAQUE, "not yet images", call.node),), dataset=True)


def as_dataset(flow: Flow) -> Flow:
    return flow.with_dataset(True)


def element(ds: Value) -> Value:
    if isinstance(ds, Flow):
        return ds.with_dataset(False)
    return UNKNOWN_VALUE


@calls("tensorflow.data.Dataset.from_tensor_slices", "tensorflow.data.Dataset.from_tensors")
def from_tensor_slices(it, call: Call, callee: Callee) -> Value | None:
    first = call.first if call.first is not None else call.kwargs.get("tensors")
    if first is None:
        return None
    item = first.items[0] if isinstance(first, TupleValue) and first.items else first
    if isinstance(item, ListOf):  # a Python list of images, converted to one tensor
        item = containers.stacked(item)
    if isinstance(item, Flow):
        return as_dataset(item)
    # File names, labels or arrays the analysis does not know: not images until decoded.
    return opaque_elements(call, f"{callee.last} of values that are not known images")


@calls(*api.RECORD_DATASETS)
def record_dataset(it, call: Call, callee: Callee) -> Value:
    return opaque_elements(call, f"{callee.last} records")


@calls("tensorflow.data.Dataset.zip")
def zip_datasets(it, call: Call, callee: Callee) -> Value | None:
    parts = callables.items(call.first if call.first is not None else call.kwargs.get("datasets"))
    if len(call.args) > 1:  # Dataset.zip(a, b) (TF 2.13+)
        parts = list(call.args)
    if not parts:
        return None
    head = parts[0]
    if isinstance(head, Flow):
        return ZippedDataset(head.origin, head.stages, True, head.features, head.fold_site, components=tuple(parts))
    return ZippedDataset(Origin(UNKNOWN, call.node, "Dataset.zip"), (Stage(OPAQUE, "not yet images", call.node),),
                         True, components=tuple(parts))


@calls("tensorflow.data.Dataset.from_generator")
def from_generator(it, call: Call, callee: Callee) -> Value | None:
    """``from_generator(fn, ...)``: the dataset of what ``fn()`` iterates over."""
    fn, fn_node = callables.argument(call, 0, "generator")
    if fn is None:
        return None
    args, _ = callables.argument(call, 99, "args")
    out = callables.apply(it, fn, callables.items(args), call, fn_node)
    if isinstance(out, TupleValue) and out.items:
        out = out.items[0]
    if isinstance(out, Flow):  # a Keras iterator (flow_from_directory) or a generator of batches
        return as_dataset(out)
    return opaque_elements(call, "from_generator elements")


@calls("tensorflow.data.Dataset.list_files")
def list_files(it, call: Call, callee: Callee) -> Value:
    return opaque_elements(call, "file names")


@methods(ZippedDataset, "*")
def zipped_method(it, owner: ZippedDataset, name: str, call: Call) -> Value:
    if name in api.DATASET_MAP_METHODS and call.args:
        return dataset_map(it, owner, call.args[0], call, [element(c) for c in owner.components])
    if name in api.DATASET_NESTING_METHODS and call.args:
        return nested(it, owner, call.args[0], call, [element(c) for c in owner.components])
    if name in api.PASSTHROUGH_METHODS or name in ("__iter__", "as_numpy_iterator"):
        return owner
    return UNKNOWN_VALUE


@methods(Flow, "*")
def flow_method(it, owner: Flow, name: str, call: Call) -> Value:
    if name in api.DTYPE_ARGUMENT_METHODS:  # x.astype("float32")
        position, keyword = api.DTYPE_ARGUMENT_METHODS[name]
        dtype = tensors.dtype_argument(call, position, keyword)
        return ranges.with_dtype(owner, dtype, call.node, name)
    if name in api.DATASET_MAP_METHODS and call.args:
        return dataset_map(it, owner, call.args[0], call)
    if name in api.DATASET_NESTING_METHODS and call.args:
        return nested(it, owner, call.args[0], call)
    if name in api.PASSTHROUGH_METHODS or name in ("__iter__", "as_numpy_iterator"):
        return owner
    return UNKNOWN_VALUE


def _apply(it, ds: Flow, fn: Value, call: Call, elements: list[Value] | None) -> Value:
    first = element(ds)
    if isinstance(fn, Function):
        arity = len(it.params(fn.node))
        given = elements if elements is not None else [first]
        args: list[Value] = (given + [UNKNOWN_VALUE] * arity)[:max(arity, 1)]
        return it.call_function(fn, args, {}, call.node)
    return it.apply_callable(fn, first, call, call.arg_nodes[0].value if call.arg_nodes else None)


def dataset_map(it, ds: Flow, fn: Value, call: Call, elements: list[Value] | None = None) -> Value:
    out = _apply(it, ds, fn, call, elements)
    if isinstance(out, TupleValue) and out.items:
        out = out.items[0]
    if isinstance(out, Flow):
        return as_dataset(out)
    return ds.then(Stage(OPAQUE, "map", call.node))


def nested(it, ds: Flow, fn: Value, call: Call, elements: list[Value] | None = None) -> Value:
    """``interleave(fn)`` / ``flat_map(fn)``: ``fn`` turns each element into a dataset."""
    out = _apply(it, ds, fn, call, elements)
    if isinstance(out, Flow) and out.dataset:
        return as_dataset(out)
    return Flow(ds.origin, ds.stages + (Stage(OPAQUE, call.node.func.attr.value if hasattr(call.node.func, "attr")
                                               else "interleave", call.node),), True)
