"""Exact arithmetic on pixel value ranges: which affine maps are which preprocessing modes.

An affine step ``x * scale + offset`` applied to raw pixels [0, 255] is one of the known
contracts (unit, tf, tf128) or nothing the catalogue names (opaque).  Statistics-based
normalization constants live here too, so layers and functions are compared to the same numbers.
"""

from __future__ import annotations

import libcst as cst

from fixorder.analysis.values import (
    NEUTRAL, NORMALIZE, OPAQUE, PREPROCESS, SCALE, Flow, Number, Ref, Stage, TupleValue, Value,
)
from fixorder.catalog import api

TOLERANCE = 1e-6

TF_MEAN = (127.5, 127.5, 127.5)
TORCH_MEAN = (0.485 * 255, 0.456 * 255, 0.406 * 255)
TORCH_VAR = ((0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2)
# caffe mode subtracts these from the channels after the RGB->BGR flip (B, G, R order).
CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)


def close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(1.0, abs(b))


def classify_affine(scale: float, offset: float) -> tuple[str, str | None, str]:
    """(stage kind, mode or contract, label) of ``x * scale + offset``."""
    if close(scale, 1 / 255) and close(offset, 0.0):
        return SCALE, "unit", "x / 255"
    if (close(scale, 1 / 127.5) or close(scale, 2 / 255)) and close(offset, -1.0):
        return PREPROCESS, "tf", "x / 127.5 - 1"
    if close(scale, 1 / 128) and close(offset, -1.0):
        return SCALE, "tf128", "x / 128 - 1"
    if close(scale, 1.0) and close(offset, 0.0):
        return NEUTRAL, None, "x"
    return OPAQUE, None, affine_text(scale, offset)


def affine_text(scale: float, offset: float) -> str:
    """``x * 2 - 1``, ``x * 255``, ``x / 128``: the map as a reader would write it."""
    text = "x"
    if not close(scale, 1.0):
        inverse = 1 / scale if scale else 0.0
        text = f"x / {inverse:g}" if scale and abs(scale) < 1 and close(inverse, round(inverse)) else f"x * {scale:g}"
    if not close(offset, 0.0):
        text += f" - {-offset:g}" if offset < 0 else f" + {offset:g}"
    return text


def numbers(value: Value | None) -> tuple[float, ...] | None:
    """Three per-channel numbers from a number or a tuple of numbers (one or three)."""
    if isinstance(value, Number):
        return (value.value,) * 3
    if isinstance(value, TupleValue) and value.items and all(isinstance(v, Number) for v in value.items):
        found = tuple(v.value for v in value.items)
        return found * 3 if len(found) == 1 else found
    return None


def all_close(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= 1e-3 * max(1.0, abs(y)) for x, y in zip(a, b))


def affine(flow: Flow, scale: float, offset: float, node: cst.CSTNode, label: str | None = None) -> Flow:
    """``flow * scale + offset``.  Consecutive arithmetic steps compose into one exact map, so
    ``x / 127.5 - 1`` is recognised whichever way it is spelt."""
    stages = flow.stages
    last = stages[-1] if stages else None
    if last is not None and "affine" in last.details and last.details.get("arithmetic") and label is None:
        s1, o1 = last.details["affine"]
        scale, offset = s1 * scale, o1 * scale + offset
        first_node = last.details.get("first_node", last.node)
        stages = stages[:-1]
    else:
        first_node = node
    kind, mode, text = classify_affine(scale, offset)
    details = {"affine": (scale, offset), "arithmetic": label is None, "first_node": first_node}
    dtype = dtype_of(flow)
    if not is_float(dtype) and not (float(scale).is_integer() and float(offset).is_integer()):
        dtype = "float"  # arithmetic with a fraction gives floats (true division of integers too)
    if dtype is not None:
        details["dtype"] = dtype
    stage = Stage(kind, label or text, node, mode=mode, details=details)
    return Flow(flow.origin, stages + (stage,), flow.dataset, flow.features, None)


# ------------------------------------------------------------------------------------- dtypes
def dtype_of(flow: Flow) -> str | None:
    """The flow's element dtype: the last stage that states one, else its source's; None (unknown)
    past a step of unknown effect."""
    for s in reversed(flow.stages):
        if "dtype" in s.details:
            return s.details["dtype"]
        if s.kind in (OPAQUE, NORMALIZE):
            return None
    return flow.origin.dtype


def is_float(dtype: str | None) -> bool:
    return dtype in api.FLOAT_DTYPES


def stores_unchanged(target: str | None, source: str | None) -> bool:
    """Values of dtype ``source`` keep their values in dtype ``target``: any float target, or an
    integer one whose largest value is at least the integer source's (a float cast to an integer
    type is truncated: [0, 1] becomes 0)."""
    if is_float(target):
        return True
    maxima = api.INTEGER_DTYPES
    return target in maxima and source in maxima and maxima[source] <= maxima[target]


def dtype_name(value: Value | None, node: cst.BaseExpression | None) -> str | None:
    """The dtype a call argument names (``tf.float32``, ``np.uint8``, ``"float32"``), None if unknown."""
    name = None
    if isinstance(value, Ref):
        name = value.qualified.rsplit(".", 1)[-1]
    elif isinstance(getattr(value, "value", None), str):  # a known string constant
        name = value.value
    elif isinstance(node, cst.SimpleString):
        name = node.evaluated_value if isinstance(node.evaluated_value, str) else None
    if name in api.INTEGER_DTYPES or name in api.FLOAT_DTYPES:
        return name
    return None


def with_dtype(flow: Flow, dtype: str | None, node: cst.CSTNode, label: str) -> Flow:
    """``flow`` with its dtype changed and its values kept (a cast, a resize)."""
    if dtype == dtype_of(flow) and dtype is not None:
        return flow
    return flow.then(Stage(NEUTRAL, label, node, details={"dtype": dtype}))


def converted(flow: Flow, target: str | None, node: cst.CSTNode, label: str) -> Flow:
    """``tf.image.convert_image_dtype(flow, target)``: integer -> float divides by the integer
    maximum, float -> integer multiplies by it, float -> float or same type is a cast; an unknown
    side is an opaque step (never guessed)."""
    source = dtype_of(flow)
    if source is None or target is None:
        return flow.then(Stage(OPAQUE, label, node))
    if source in api.INTEGER_DTYPES and is_float(target):
        scale = 1.0 / api.INTEGER_DTYPES[source]
    elif is_float(source) and target in api.INTEGER_DTYPES:
        scale = float(api.INTEGER_DTYPES[target])
    elif is_float(source) == is_float(target) and (is_float(source) or source == target):
        return with_dtype(flow, target, node, label)
    else:  # integer -> another integer type: a bit shift, not an image range
        return flow.then(Stage(OPAQUE, label, node))
    out = affine(flow, scale, 0.0, node, label=label)
    kind, mode, text = classify_affine(scale, 0.0)
    last = out.stages[-1]
    last.label = label if kind == OPAQUE else f"{label} ({text})"
    last.details["dtype"] = target
    return out


# -------------------------------------------------------------------- composed value ranges
def range_of_map(scale: float, offset: float) -> str | None:
    """The named range of raw pixels after ``x * scale + offset`` (None: no named range)."""
    kind, mode, _ = classify_affine(scale, offset)
    if kind == NEUTRAL:
        return "raw"
    return mode if kind in (SCALE, PREPROCESS) else None


def compose(stages: tuple[Stage, ...]) -> tuple[Stage, ...]:
    """The stages with every chain of affine steps composed into the exact map it amounts to.

    Affine steps (arithmetic, ``Rescaling``, ``rescale=``, ``convert_image_dtype``) separated only
    by steps that keep the value range (geometry, augmentation, casts) compose when the whole map
    is a named range (raw, unit, tf, tf128): the last step of a chain becomes the whole map's stage (``/255`` then ``* 2 - 1`` is tf mode, ``/255`` then
    ``* 255`` is neutral), and the earlier ones become neutral steps that remember the range they
    leave behind (``details["range"]``), so an augmentation between them is judged on that range.
    """
    chains: list[list[int]] = []
    current: list[int] = []
    scale, offset = 1.0, 0.0
    known = True
    maps: dict[int, tuple[float, float]] = {}
    for i, s in enumerate(stages):
        step = s.details.get("affine")
        if step is not None:
            if not known:
                continue
            scale, offset = scale * step[0], offset * step[0] + step[1]
            maps[i] = (scale, offset)
            current.append(i)
        elif s.kind in (PREPROCESS, NORMALIZE, OPAQUE):
            known = False
            if len(current) > 1:
                chains.append(current)
            current = []
    if len(current) > 1:
        chains.append(current)
    if not chains:
        return stages
    # A chain that composes to no named range keeps its steps, each judged on its own: ``/ 255``
    # then ``Rescaling(1 / 127.5, offset=-1)`` stays a scaling on top of tf mode (FO104).
    chains = [chain for chain in chains if range_of_map(*maps[chain[-1]]) is not None]
    if not chains:
        return stages
    out = list(stages)
    for chain in chains:
        members = [stages[i] for i in chain]
        for i in chain[:-1]:
            s = stages[i]
            out[i] = Stage(NEUTRAL, s.label, s.node, s.range_sensitive, None, s.module,
                           {**s.details, "range": range_of_map(*maps[i]), "absorbed": True})
        last = stages[chain[-1]]
        total = maps[chain[-1]]
        kind, mode, text = classify_affine(*total)
        label = " then ".join(m.label for m in members)
        out[chain[-1]] = Stage(kind, label, last.node, last.range_sensitive, mode, None,
                               {**last.details, "affine_total": total, "range": range_of_map(*total),
                                "chain": members})
    return tuple(out)
