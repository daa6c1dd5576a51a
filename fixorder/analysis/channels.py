"""Channel-wise steps written with subscripts: ``x[..., ::-1]`` and ``x[..., c] -= m``.

An RGB->BGR flip followed by subtracting the catalogue's caffe means from the three channels
(in BGR order) is exactly caffe-mode ``preprocess_input``; any other channel write, or a flip
that is not completed that way, is an OPAQUE stage (its effect on the range is not named).
"""

from __future__ import annotations

import libcst as cst

from fixorder.analysis import ranges
from fixorder.analysis.values import OPAQUE, PREPROCESS, Flow, Stage

CHANNELS = 3


def _full(element: cst.SubscriptElement) -> bool:
    s = element.slice
    return isinstance(s, cst.Slice) and s.lower is None and s.upper is None and s.step is None


def _ellipsis(element: cst.SubscriptElement) -> bool:
    s = element.slice
    return isinstance(s, cst.Index) and isinstance(s.value, cst.Ellipsis)


def _leading(elements) -> bool:
    """``...`` alone, or two or three ``:`` (an image, a batch), before the channel axis."""
    return (len(elements) == 1 and _ellipsis(elements[0])) or (
        len(elements) in (2, 3) and all(_full(e) for e in elements))


def is_channel_flip(node: cst.Subscript) -> bool:
    """``x[..., ::-1]`` / ``x[:, :, ::-1]``: the channel axis reversed."""
    *lead, last = node.slice
    s = last.slice
    if not lead or not _leading(lead) or not isinstance(s, cst.Slice) or s.lower is not None or s.upper is not None:
        return False
    step = s.step
    return (isinstance(step, cst.UnaryOperation) and isinstance(step.operator, cst.Minus)
            and isinstance(step.expression, cst.Integer) and step.expression.evaluated_value == 1)


def channel_index(node: cst.Subscript) -> int | None:
    """``c`` of ``x[..., c]`` / ``x[:, :, c]`` for a literal channel 0..2, else None."""
    *lead, last = node.slice
    s = last.slice
    if lead and _leading(lead) and isinstance(s, cst.Index) and isinstance(s.value, cst.Integer):
        c = s.value.evaluated_value
        return c if 0 <= c < CHANNELS else None
    return None


def flip(flow: Flow, node: cst.CSTNode) -> Flow:
    return flow.then(Stage(OPAQUE, "channel flip [..., ::-1]", node, details={"channel_flip": True}))


def offset(flow: Flow, channel: int, amount: float, node: cst.CSTNode) -> Flow:
    """``x[..., channel] += amount``; a completed caffe pattern becomes one PREPROCESS stage."""
    out = flow.then(Stage(OPAQUE, "channel write", node, details={"channel_offset": (channel, amount)}))
    return _caffe(out, node) or out


def offsets(flow: Flow, amounts: tuple[float, ...], node: cst.CSTNode) -> Flow:
    """``x + (a, b, c)``: one offset per channel (broadcast over the last axis)."""
    out = flow
    for channel, amount in enumerate(amounts):
        out = out.then(Stage(OPAQUE, "channel offset", node, details={"channel_offset": (channel, amount)}))
    return _caffe(out, node, whole=True) or Flow(flow.origin, flow.stages + (Stage(OPAQUE, "channel offsets", node),),
                                     flow.dataset, flow.features)


def _caffe(flow: Flow, node: cst.CSTNode, whole: bool = False) -> Flow | None:
    """The flip and the three offsets at the end of ``flow`` as one caffe stage, at the flip's
    node, or at ``node`` when that one expression holds them all (``whole``)."""
    stages = flow.stages
    i = len(stages)
    found: dict[int, float] = {}
    while i > 0 and "channel_offset" in stages[i - 1].details:
        channel, amount = stages[i - 1].details["channel_offset"]
        if channel in found:
            return None
        found[channel] = amount
        i -= 1
    if i == 0 or not stages[i - 1].details.get("channel_flip") or len(found) != CHANNELS:
        return None
    if not ranges.all_close(tuple(-found[c] for c in range(CHANNELS)), ranges.CAFFE_MEAN_BGR):
        return None
    flipped = stages[i - 1]
    stage = Stage(PREPROCESS, "RGB->BGR flip and ImageNet mean subtraction", node if whole else flipped.node,
                  mode="caffe",
                  details={"first_node": flipped.node, "last_node": node})
    return Flow(flow.origin, stages[:i - 1] + (stage,), flow.dataset, flow.features)
