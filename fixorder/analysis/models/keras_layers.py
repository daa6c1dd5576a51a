"""Keras layers: augmentation and preprocessing layers, ``Rescaling``, ``Normalization``, ``Lambda``.

What each augmentation layer does (augments or not, range-sensitive or not) is catalogue data
(catalog/augmentations.json); layers that keep pixel values are a table in catalog/api.py.
"""

from __future__ import annotations

from fixorder.analysis import ranges
from fixorder.analysis.calls import Call
from fixorder.analysis.models.registry import KERAS, Callee, calls_prefixed
from fixorder.analysis.values import (
    AUGMENT, MODEL_INPUT, NEUTRAL, NORMALIZE, OPAQUE, PREPROCESS, UNKNOWN, Flow, Number, Origin, Stage,
    Transform, Value,
)
from fixorder.catalog import api

LEGACY_FRAMEWORKS = ("tf_keras", "tensorflow.python.keras")


@calls_prefixed(KERAS + "layers.")
def layer(it, call: Call, callee: Callee) -> Value | None:
    parts = callee.path.split(".")
    if len(parts) != 2:
        return None
    name = parts[1]
    node = call.node
    first = call.first
    if name == "Rescaling":
        return rescaling(call)
    if name == "Normalization":
        return Transform(node, "layer", (normalization(call),))
    if name == "Lambda" and first is not None:
        probe_origin = Origin(UNKNOWN, None, "lambda input")
        out = it.apply_callable(first, Flow(probe_origin), call, call.arg_nodes[0].value)
        if isinstance(out, Flow) and out.origin is probe_origin:
            return Transform(node, "layer", out.stages or (Stage(NEUTRAL, "Lambda", node),))
        return Transform(node, "layer", (Stage(OPAQUE, "Lambda", node),))
    if name in ("Input", "InputLayer"):
        return Flow(Origin(MODEL_INPUT, node, "the model input", substitutable=True, dtype=api.MODEL_INPUT_DTYPE))
    framework = "tf_keras" if callee.framework in LEGACY_FRAMEWORKS else "keras3"
    info = it.catalog.layer(name, framework)
    if info is not None:
        if not info.augmentation:
            return Transform(node, "layer", (Stage(NEUTRAL, name, node),))
        value_range = call.kwarg_nodes.get("value_range")
        stage = Stage(AUGMENT, name, node, range_sensitive=info.range_sensitive,
                      details={"value_range": value_range, "catalog": info})
        return Transform(node, "layer", (stage,))
    if name in api.NEUTRAL_LAYERS:
        return Transform(node, "layer", (Stage(NEUTRAL, name, node),))
    return Transform(node, "layer", (Stage(OPAQUE, name, node),))


def rescaling(call: Call) -> Transform:
    node = call.node
    scale = call.first if call.first is not None else call.kwargs.get("scale")
    offset = call.kwargs.get("offset", call.args[1] if len(call.args) > 1 else Number(0.0))
    if isinstance(scale, Number) and isinstance(offset, Number):
        stage = ranges.affine(Flow(Origin(UNKNOWN, None, "")), scale.value, offset.value, node,
                              label="Rescaling").stages[-1]
        _, _, text = ranges.classify_affine(scale.value, offset.value)
        stage.label = f"Rescaling({text})"
        return Transform(node, "layer", (stage,))
    return Transform(node, "layer", (Stage(OPAQUE, "Rescaling", node),))


def normalization(call: Call) -> Stage:
    mean = ranges.numbers(call.kwargs.get("mean"))
    variance = ranges.numbers(call.kwargs.get("variance"))
    node = call.node
    if mean and variance:
        if ranges.all_close(mean, ranges.TF_MEAN) and ranges.all_close(variance, tuple(m * m for m in ranges.TF_MEAN)):
            return Stage(PREPROCESS, "Normalization(tf mode)", node, mode="tf")
        if ranges.all_close(mean, ranges.TORCH_MEAN) and ranges.all_close(variance, ranges.TORCH_VAR):
            return Stage(PREPROCESS, "Normalization(torch mode)", node, mode="torch")
    return Stage(NORMALIZE, "Normalization", node)


@calls_prefixed("keras_cv.layers.")
def keras_cv_layer(it, call: Call, callee: Callee) -> Value | None:
    name = callee.last
    if name not in it.catalog.keras_cv_layers:
        return None
    sensitive = "value_range" not in call.kwargs
    return Transform(call.node, "layer", (Stage(AUGMENT, name, call.node, range_sensitive=sensitive),))
