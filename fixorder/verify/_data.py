"""Generated stand-in data for ``fixorder verify``: small images whose pixels span 0..255.

Runs in the verification child only.  Every image holds, in each channel, both 0 and 255
(smooth gradients in different directions), so whatever a pipeline does to raw pixels shows
up at the backbone as the full mapped range.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

IMAGES_PER_CLASS = 6
# Images per batch of the feeds verify gives and of the arrays a step reads: every generated
# image spans 0..255 in each channel on its own, so two show the range a batch of 32 would,
# and a 224-px VGG16 step on them is a sixteenth of the work.
FEED_BATCH = 2
IMAGE_SIDE = 32
DEFAULT_CLASSES = ("class_a", "class_b")
MAX_CLASSES = 100


def gradient_image(index: int, height: int, width: int, channels: int = 3) -> np.ndarray:
    """A uint8 image whose every channel spans exactly 0..255 (gradients in varying directions)."""
    ys = np.linspace(0.0, 1.0, height, dtype=np.float64)[:, None]
    xs = np.linspace(0.0, 1.0, width, dtype=np.float64)[None, :]
    patterns = [
        np.broadcast_to(xs, (height, width)),
        np.broadcast_to(ys, (height, width)),
        (xs + ys) / 2.0,
        np.broadcast_to(1.0 - xs, (height, width)),
        np.broadcast_to(1.0 - ys, (height, width)),
        (xs + (1.0 - ys)) / 2.0,
    ]
    out = np.empty((height, width, channels), dtype=np.uint8)
    for c in range(channels):
        p = patterns[(index + 2 * c) % len(patterns)]
        out[..., c] = np.rint(p * 255.0).astype(np.uint8)
    return out


def raw_batch(shape: tuple[int, ...], dtype: str = "float32", channels_last: bool = True) -> np.ndarray:
    """A batch of raw images (values 0..255) of the given full shape (batch first)."""
    shape = tuple(int(d) for d in shape)
    if len(shape) != 4:
        # Not an image batch: a plain ramp over 0..255.
        size = int(np.prod(shape)) or 1
        return (np.linspace(0, 255, size).reshape(shape)).astype(dtype)
    if channels_last:
        n, h, w, c = shape
    else:
        n, c, h, w = shape
    imgs = np.stack([gradient_image(i, h, w, c) for i in range(n)])
    if not channels_last:
        imgs = imgs.transpose(0, 3, 1, 2)
    return imgs.astype(dtype)


def make_image_folder(root: str | os.PathLike, class_names: list[str] | tuple[str, ...] | None = None,
                      per_class: int = IMAGES_PER_CLASS, side: int = IMAGE_SIDE) -> str:
    """Write ``root/<class>/img_<k>.jpg`` for each class and return ``root``."""
    from PIL import Image

    names = list(class_names) if class_names else list(DEFAULT_CLASSES)
    root = Path(root)
    for ci, name in enumerate(names[:MAX_CLASSES]):
        d = root / str(name)
        d.mkdir(parents=True, exist_ok=True)
        for k in range(per_class):
            img = gradient_image(ci + k, side, side)
            Image.fromarray(img, "RGB").save(d / f"img_{k}.jpg", quality=100, subsampling=0)
    return str(root)
