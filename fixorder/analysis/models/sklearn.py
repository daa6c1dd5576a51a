"""scikit-learn helpers that real training scripts put between the images and the model."""

from __future__ import annotations

from fixorder.analysis.calls import Call
from fixorder.analysis.models.registry import Callee, calls
from fixorder.analysis.values import UNKNOWN_VALUE, Flow, TupleValue, Value


@calls("sklearn.model_selection.train_test_split", "sklearn.cross_validation.train_test_split")
def train_test_split(it, call: Call, callee: Callee) -> Value:
    """``x_train, x_test, y_train, y_test = train_test_split(x, y)``: each array split in two,
    in order; a split of images keeps their values."""
    parts: list[Value] = []
    for array in call.args:
        part = array if isinstance(array, Flow) else UNKNOWN_VALUE
        parts.extend((part, part))
    return TupleValue(tuple(parts)) if parts else UNKNOWN_VALUE
