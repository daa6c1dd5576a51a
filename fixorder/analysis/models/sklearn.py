"""scikit-learn helpers that real training scripts put between the images and the model."""

from __future__ import annotations

from fixorder.analysis import syntax
from fixorder.analysis.calls import Call
from fixorder.analysis.models.registry import Callee, calls, methods
from fixorder.analysis.values import NORMALIZE, UNKNOWN_VALUE, Flow, ListOf, Stage, TupleValue, Value


@calls("sklearn.model_selection.train_test_split", "sklearn.cross_validation.train_test_split")
def train_test_split(it, call: Call, callee: Callee) -> Value:
    """``x_train, x_test, y_train, y_test = train_test_split(x, y)``: each array split in two,
    in order; a split of images keeps their values."""
    parts: list[Value] = []
    for array in call.args:
        part = array if isinstance(array, (Flow, ListOf)) else UNKNOWN_VALUE  # a list splits into lists
        parts.extend((part, part))
    return TupleValue(tuple(parts)) if parts else UNKNOWN_VALUE


class Scaler(Value):
    """A scikit-learn scaler object (``StandardScaler()``) and the normalisation it applies."""

    def __init__(self, label: str, zscore: str | None):
        self.label = label
        self.zscore = zscore  # over what the z-score is taken, None when it is not a full one


# with_mean/with_std left on: each feature is centred and divided by its standard deviation.
ZSCORE_SCALERS = {"sklearn.preprocessing.StandardScaler": "each feature of the training data"}


@calls(*ZSCORE_SCALERS)
def standard_scaler(it, call: Call, callee: Callee) -> Value:
    partial = any(not syntax.is_literal_name(call.kwarg_nodes[k].value, "True")
                  for k in ("with_mean", "with_std") if k in call.kwarg_nodes)
    return Scaler(callee.last, None if partial else ZSCORE_SCALERS[callee.qualified])


@methods(Scaler, "*")
def scaler_method(it, owner: Scaler, name: str, call: Call) -> Value:
    """``fit_transform(x)`` / ``transform(x)`` normalise ``x``; ``fit`` only learns statistics."""
    if name not in ("fit_transform", "transform") or not isinstance(call.first, Flow):
        return UNKNOWN_VALUE
    details = {"dtype": "float64"}
    if owner.zscore is not None:
        details["zscore"] = owner.zscore
    return call.first.then(Stage(NORMALIZE, f"{owner.label}.{name}", call.node, details=details))
