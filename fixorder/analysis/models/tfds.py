"""TensorFlow Datasets: ``tfds.load`` gives datasets of uint8 images in [0, 255].

``split=[...]`` gives one dataset per split, in order; ``with_info=True`` pairs the result
with the dataset's info object: ``(train, val), info = tfds.load(..., split=[...], with_info=True)``.
"""

from __future__ import annotations

import libcst as cst

from fixorder.analysis import syntax
from fixorder.analysis.calls import Call
from fixorder.analysis.models.registry import Callee, calls
from fixorder.analysis.values import RAW, UNKNOWN_VALUE, Flow, Origin, TupleValue, Value


@calls("tensorflow_datasets.load")
def load(it, call: Call, callee: Callee) -> Value:
    split = call.kwarg_nodes.get("split")
    if split is not None and isinstance(split.value, (cst.List, cst.Tuple)):
        datasets: Value = TupleValue(tuple(_dataset(call, element.value) for element in split.value.elements))
    elif split is None or syntax.string(split.value) is not None:
        datasets = _dataset(call, split.value if split is not None else None)
    else:
        return UNKNOWN_VALUE  # a split given by a variable: one dataset or several
    with_info = call.kwarg_nodes.get("with_info")
    if with_info is not None:
        if syntax.is_literal_name(with_info.value, "True"):
            return TupleValue((datasets, UNKNOWN_VALUE))
        if not syntax.is_literal_name(with_info.value, "False"):
            return UNKNOWN_VALUE
    return datasets


def _dataset(call: Call, split: cst.BaseExpression | None) -> Flow:
    name = syntax.string(split) if split is not None else None
    label = f"tfds.load({name!r})" if name else "tfds.load"
    return Flow(Origin(RAW, call.node, label, dtype="uint8"), dataset=True)
