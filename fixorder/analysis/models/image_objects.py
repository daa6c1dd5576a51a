"""Image objects of PIL and OpenCV that hand out pixels through their methods.

- ``cv2.VideoCapture(path)``: ``ok, frame = capture.read()`` gives raw 0..255 frames, a source
  like ``cv2.imread`` (api.VIDEO_SOURCES);
- ``PIL.ImageEnhance.Brightness(img)`` (Contrast, Color, Sharpness): ``.enhance(factor)`` is an
  augmentation that keeps the 0..255 uint8 range (api.PIL_ENHANCERS).
"""

from __future__ import annotations

from fixorder.analysis.calls import Call
from fixorder.analysis.models.registry import Callee, calls, methods
from fixorder.analysis.values import AUGMENT, RAW, UNKNOWN_VALUE, Flow, Origin, Stage, TupleValue, Value
from fixorder.catalog import api


class VideoCapture(Value):
    """An opened video: its read methods give (ok, frame) with frame raw pixels."""

    def __init__(self, label: str, reads: tuple[str, ...], dtype: str):
        self.label = label
        self.reads = reads
        self.dtype = dtype


@calls(*api.VIDEO_SOURCES)
def video_capture(it, call: Call, callee: Callee) -> Value:
    reads, dtype = api.VIDEO_SOURCES[callee.qualified]
    return VideoCapture(callee.last, reads, dtype)


@methods(VideoCapture, "*")
def video_method(it, owner: VideoCapture, name: str, call: Call) -> Value:
    if name not in owner.reads:
        return UNKNOWN_VALUE  # isOpened(), get(...), release()...
    frame = Flow(Origin(RAW, call.node, f"{owner.label}.{name}()", dtype=owner.dtype))
    return TupleValue((UNKNOWN_VALUE, frame))


class Enhancer(Value):
    """``ImageEnhance.Brightness(img)``: ``img`` and the enhancement its ``enhance`` applies."""

    def __init__(self, image: Flow, label: str):
        self.image = image
        self.label = label


@calls(*api.PIL_ENHANCERS)
def pil_enhancer(it, call: Call, callee: Callee) -> Value:
    if not isinstance(call.first, Flow) or call.first.dataset:
        return UNKNOWN_VALUE
    return Enhancer(call.first, f"ImageEnhance.{callee.last}")


@methods(Enhancer, "*")
def enhancer_method(it, owner: Enhancer, name: str, call: Call) -> Value:
    if name != api.PIL_ENHANCE_METHOD:
        return UNKNOWN_VALUE
    return owner.image.then(Stage(AUGMENT, owner.label, call.node,
                                  details={"dtype": api.PIL_ENHANCED_DTYPE}))
