"""Image sources and tensor operations of TensorFlow, Keras, NumPy, PIL and OpenCV.

Almost everything here is read from the tables in catalog/api.py: a call that yields raw
pixels, one that keeps the values, one that scales to [0, 1] or normalizes to the data's own
statistics.  Adding a function of one of these kinds is one name in the right table.
"""

from __future__ import annotations

from fixorder.analysis import containers, ranges
from fixorder.analysis.calls import Call
from fixorder.analysis.models.registry import KERAS, Callee, calls, calls_prefixed
from fixorder.analysis.values import (
    AUGMENT, NORMALIZE, OPAQUE, RAW, UNKNOWN_VALUE, EmptyArray, Flow, Number, Origin, Stage, TupleValue, Value,
)
from fixorder.catalog import api


@calls(*api.RAW_SOURCES)
def raw_source(it, call: Call, callee: Callee) -> Value:
    dataset, dtype = api.RAW_SOURCES[callee.qualified]
    return Flow(Origin(RAW, call.node, callee.last, dtype=dtype), dataset=dataset)


@calls(*(KERAS + path for path in api.RAW_SOURCES_KERAS))
def raw_source_keras(it, call: Call, callee: Callee) -> Value:
    dataset, dtype = api.RAW_SOURCES_KERAS[callee.path]
    if callee.path.endswith("img_to_array") and isinstance(call.first, Flow):
        return ranges.with_dtype(call.first, dtype, call.node, callee.last)
    return Flow(Origin(RAW, call.node, callee.last, dtype=dtype), dataset=dataset)


@calls(*api.RANDOM_SOURCES)
def random_source(it, call: Call, callee: Callee) -> Value:
    spec = api.RANDOM_SOURCES[callee.qualified]
    if spec is None:
        return UNKNOWN_VALUE
    keyword, position = spec
    bound = call.kwargs.get(keyword)
    if bound is None and len(call.args) > position:
        bound = call.args[position]
    if isinstance(bound, Number) and bound.value >= api.RAW_MIN_UPPER_BOUND:
        return Flow(Origin(RAW, call.node, "a random batch", dtype=api.RANDOM_DTYPES.get(callee.qualified)))
    return UNKNOWN_VALUE


@calls(*api.PASSTHROUGH, *(KERAS + path for path in api.PASSTHROUGH_KERAS))
def passthrough(it, call: Call, callee: Callee) -> Value:
    first = containers.stacked(call.first) if callee.key in api.STACKING else call.first
    if not isinstance(first, Flow):
        return UNKNOWN_VALUE
    if callee.key in api.DTYPE_FIXED:
        return ranges.with_dtype(first, api.DTYPE_FIXED[callee.key], call.node, callee.last)
    if callee.key in api.DTYPE_ARGUMENT:
        position, keyword = api.DTYPE_ARGUMENT[callee.key]
        if not given(call, position, keyword):
            return first
        return ranges.with_dtype(first, dtype_argument(call, position, keyword), call.node, callee.last)
    return first


@calls(*api.INTEGER_CASTS)
def integer_cast(it, call: Call, callee: Callee) -> Value:
    if not isinstance(call.first, Flow):
        return UNKNOWN_VALUE
    target = api.INTEGER_CASTS[callee.qualified]
    if ranges.stores_unchanged(target, ranges.dtype_of(call.first)):
        return ranges.with_dtype(call.first, target, call.node, callee.last)
    return call.first.then(Stage(OPAQUE, callee.last, call.node))


@calls(*api.EMPTY_ARRAYS)
def empty_array(it, call: Call, callee: Callee) -> Value:
    """``np.zeros(shape, dtype)``: an array images are written into by index (containers.written)."""
    position, keyword = api.EMPTY_ARRAYS[callee.qualified]
    dtype = dtype_argument(call, position, keyword) if given(call, position, keyword) else api.EMPTY_ARRAY_DTYPE
    return EmptyArray(call.node, dtype)


def given(call: Call, position: int, keyword: str) -> bool:
    return keyword in call.kwargs or len(call.args) > position


def dtype_argument(call: Call, position: int, keyword: str) -> str | None:
    """The dtype a call names at ``position`` or ``keyword=`` (None: absent or not a known dtype)."""
    if keyword in call.kwargs:
        return ranges.dtype_name(call.kwargs[keyword], call.kwarg_nodes[keyword].value)
    if len(call.args) > position:
        return ranges.dtype_name(call.args[position], call.arg_nodes[position].value)
    return None


@calls(*api.DTYPE_CONVERTERS)
def dtype_converter(it, call: Call, callee: Callee) -> Value | None:
    if not isinstance(call.first, Flow):
        return None
    target = dtype_argument(call, *api.DTYPE_CONVERTERS[callee.qualified])
    return ranges.converted(call.first, target, call.node, callee.last)


@calls(*api.ZSCORE_FUNCTIONS)
def normalizer(it, call: Call, callee: Callee) -> Value | None:
    if not isinstance(call.first, Flow):
        return None
    return call.first.then(Stage(NORMALIZE, callee.last, call.node,
                                 details={"zscore": api.ZSCORE_FUNCTIONS[callee.qualified], "dtype": "float32"}))


@calls_prefixed("tensorflow.image.random_", "tensorflow.image.stateless_random_",
                "tf.image.random_", "tf.image.stateless_random_")
def tf_image_random(it, call: Call, callee: Callee) -> Value | None:
    if not isinstance(call.first, Flow):
        return None
    op = callee.last
    info = it.catalog.tf_image_ops.get(op, {"range_sensitive": False})
    return call.first.then(Stage(AUGMENT, f"tf.image.{op}", call.node, range_sensitive=info["range_sensitive"]))


@calls_prefixed(KERAS + "datasets.")
def keras_dataset(it, call: Call, callee: Callee) -> Value | None:
    parts = callee.path.split(".")
    if len(parts) != 3 or parts[1] not in api.IMAGE_DATASETS or parts[2] != "load_data":
        return None
    images = Flow(Origin(RAW, call.node, f"{parts[1]}.load_data()", dtype=api.DATASET_DTYPE))
    return TupleValue((TupleValue((images, UNKNOWN_VALUE)), TupleValue((images, UNKNOWN_VALUE))))
