"""Exact arithmetic on pixel value ranges: which affine maps are which preprocessing modes.

An affine step ``x * scale + offset`` applied to raw pixels [0, 255] is one of the known
contracts (unit, tf, tf128) or nothing the catalogue names (opaque).  Statistics-based
normalization constants live here too, so layers and functions are compared to the same numbers.
"""

from __future__ import annotations

import libcst as cst

from fixorder.analysis.values import NEUTRAL, OPAQUE, PREPROCESS, SCALE, Flow, Number, Stage, TupleValue, Value

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
    return OPAQUE, None, f"x * {scale:g} + {offset:g}"


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
    stage = Stage(kind, label or text, node, mode=mode,
                  details={"affine": (scale, offset), "arithmetic": label is None, "first_node": first_node})
    return Flow(flow.origin, stages + (stage,), flow.dataset, flow.features, None)
