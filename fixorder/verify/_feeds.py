"""Synthetic feeds for data a script reads from places that are not there (verification child only).

* ``tfds.load(name, ...)``: a ``tf.data.Dataset`` of generated examples with the dataset's real
  features, shapes and dtypes (uint8 images spanning 0..255; ``standins.json``, ``tfds``), and
  its ``info`` (splits, label names) when ``with_info=True``;
* ``os.listdir`` / ``os.scandir`` of a directory that does not exist: the listing of a generated
  image folder standing in for it (class folders, then the images in each), so that loops over
  ``listdir`` find files;
* reading a file that does not exist (``tf.io.read_file``, ``cv2.imread``, ``PIL.Image.open``):
  the generated file it stands for when it lies in a listed stand-in folder, else, for an image
  path, a generated image;
* ``get_file`` of a dataset archive (``extract=`` / ``untar=`` or an archive name): not
  downloaded; it returns a path that does not exist here, so the data sources reading under it
  get generated images.  Other downloads stay refused.

Each stand-in used is named once in the notes.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
import types
from pathlib import Path

from fixorder.verify import _data

_TABLE = json.loads((Path(__file__).parent / "standins.json").read_text(encoding="utf-8"))
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff")
ARCHIVE_SUFFIXES = (".zip", ".tgz", ".tar.gz", ".tar", ".tar.bz2", ".tar.xz", ".gz")


# -- missing directories and files --------------------------------------------------------------

class Mirror:
    """Missing directories the script listed, each standing for a generated image folder."""

    def __init__(self, state):
        self.state = state
        self.folders: dict[str, str] = {}  # requested (absolute, normalised) -> generated folder

    def listing_of(self, path: str) -> str | None:
        """The generated directory standing for the missing ``path``, or None."""
        full = os.path.normpath(os.path.abspath(path))
        for requested, folder in self.folders.items():
            if full == requested or full.startswith(requested + os.sep):
                candidate = os.path.join(folder, os.path.relpath(full, requested))
                return candidate if os.path.isdir(candidate) else None
        folder = self.state.image_folder(path)
        self.folders[full] = folder
        return folder

    def file_for(self, path: str) -> str | None:
        """The generated file standing for the missing ``path``, or None."""
        full = os.path.normpath(os.path.abspath(path))
        for requested, folder in self.folders.items():
            if full.startswith(requested + os.sep):
                candidate = os.path.join(folder, os.path.relpath(full, requested))
                if os.path.isfile(candidate):
                    return candidate
        if os.path.splitext(full)[1].lower() in IMAGE_SUFFIXES:
            return self._single_image()
        return None

    def _single_image(self) -> str:
        target = os.path.join(self.state.gen_root, "single_image.jpg")
        if not os.path.exists(target):
            from PIL import Image

            side = _data.IMAGE_SIDE * 4
            Image.fromarray(_data.gradient_image(0, side, side), "RGB").save(target, quality=100, subsampling=0)
        return target


def _missing(path) -> str | None:
    """``path`` as a string when it names something that is not there, else None."""
    try:
        text = os.fsdecode(os.fspath(path))
    except TypeError:
        return None
    if not text or os.path.exists(text):
        return None
    return text


def install(state) -> None:
    import tensorflow as tf

    mirror = Mirror(state)
    state.mirror = mirror
    _install_listing(state, mirror)
    _install_readers(state, mirror, tf)
    _install_tfds(state, tf)


def _install_listing(state, mirror: Mirror) -> None:
    orig_listdir, orig_scandir = os.listdir, os.scandir

    def standin(path):
        missing = _missing(path)
        if missing is None or not state.in_user_code():
            return None
        known = mirror.folders.copy()
        folder = mirror.listing_of(missing)
        if folder is not None and len(mirror.folders) > len(known):
            state.note(f"stand-in: {missing!r} is not here: listing a generated image folder instead")
            state.replaced_data.append({"what": "listdir", "requested": missing, "file": None, "line": None})
        return folder

    @functools.wraps(orig_listdir)
    def listdir(path="."):
        folder = standin(path)
        return orig_listdir(path if folder is None else folder)

    @functools.wraps(orig_scandir)
    def scandir(path="."):
        folder = standin(path)
        return orig_scandir(path if folder is None else folder)

    os.listdir, os.scandir = listdir, scandir


def _install_readers(state, mirror: Mirror, tf) -> None:
    def replaced(path, what):
        missing = _missing(path)
        if missing is None:
            return None
        generated = mirror.file_for(missing)
        if generated is not None:
            state.note(f"stand-in: {what} of a file that is not here reads a generated image")
            state.replaced_data.append({"what": what, "requested": missing, "file": None, "line": None})
        return generated

    orig_read_file = tf.io.read_file

    @functools.wraps(orig_read_file)
    def read_file(filename, name=None):
        if isinstance(filename, (str, bytes, os.PathLike)):
            generated = replaced(filename, "tf.io.read_file")
            if generated is not None:
                filename = generated
        elif mirror.folders:
            # A path tensor (inside Dataset.map): paths under a listed stand-in folder are
            # rewritten in the graph to the generated files they stand for.
            for requested, folder in mirror.folders.items():
                filename = tf.strings.regex_replace(filename, "^" + re.escape(requested + os.sep),
                                                    (folder + os.sep).replace("\\", "\\\\"))
            state.note("stand-in: tf.io.read_file of paths under a folder that is not here reads the "
                       "generated images")
        return orig_read_file(filename, name=name)

    tf.io.read_file = read_file
    try:
        tf.io.gfile.GFile  # noqa: B018  (present: nothing else to do)
    except AttributeError:
        pass

    def patch_cv2(cv2):
        orig = cv2.imread

        def imread(filename, *args, **kwargs):
            generated = replaced(filename, "cv2.imread")
            return orig(generated or filename, *args, **kwargs)

        cv2.imread = imread

    def patch_pil(image_module):
        orig = image_module.open

        @functools.wraps(orig)
        def open_(fp, *args, **kwargs):
            if isinstance(fp, (str, bytes, os.PathLike)):
                fp = replaced(fp, "PIL.Image.open") or fp
            return orig(fp, *args, **kwargs)

        image_module.open = open_

    state.after_import("cv2", patch_cv2)
    state.after_import("PIL.Image", patch_pil)
    state.mirror_reader = replaced


def archive_path(state, fname, origin, kwargs) -> str | None:
    """For ``get_file`` of a dataset archive: the path it returns here (nothing is downloaded)."""
    name = os.fspath(fname) if fname else os.path.basename(str(origin or "").split("?")[0])
    archive = kwargs.get("extract") or kwargs.get("untar") or \
        str(origin or name).lower().endswith(ARCHIVE_SUFFIXES)
    if not archive or not name:
        return None
    state.note(f"stand-in: get_file({name!r}) of a dataset archive is not downloaded: the data read "
               "from under its path is generated")
    state.replaced_data.append({"what": "get_file", "requested": str(origin or name), "file": None, "line": None})
    return os.path.join(state.gen_root, "downloads", name)


# -- tensorflow_datasets ----------------------------------------------------------------------

def _spec(name: str) -> tuple[str, dict]:
    base = str(name).split(":")[0].split("/")[0]
    table = _TABLE["tfds"]
    return base, table["datasets"].get(base, table["default"])


class _Info:
    """What scripts read from ``tfds.load(..., with_info=True)``'s info."""

    def __init__(self, name: str, spec: dict, counts: dict):
        classes = spec.get("classes", 2)
        names = spec.get("label_names") or [f"class_{i}" for i in range(classes)]
        self.name = name
        self.features = {"label": types.SimpleNamespace(num_classes=classes, names=list(names),
                                                        int2str=lambda i: names[int(i)]),
                         "image": types.SimpleNamespace(shape=tuple(spec["image"]), dtype="uint8")}
        self.splits = {s: types.SimpleNamespace(num_examples=n, name=s) for s, n in counts.items()}
        self.supervised_keys = ("image", "label")

    def __repr__(self):
        return f"tfds stand-in info for {self.name}"


def _install_tfds(state, tf) -> None:
    import numpy as np

    table = _TABLE["tfds"]
    counts = {"train": table["examples"]["train"], "test": table["examples"]["test"]}

    def dataset(name, spec, split, as_supervised):
        n = counts.get(str(split).split("[")[0], counts["train"])
        h, w, c = spec["image"]
        images = np.stack([_data.gradient_image(i, h, w, c) for i in range(n)])
        labels = (np.arange(n) % spec.get("classes", 2)).astype("int64")
        features = {"image": images, "label": labels}
        if spec.get("mask"):
            masks = (np.arange(h * w).reshape(h, w, 1) % 3 + 1).astype("uint8")
            features["segmentation_mask"] = np.broadcast_to(masks, (n, h, w, 1)).copy()
        ds = tf.data.Dataset.from_tensor_slices(features)
        if as_supervised:
            ds = ds.map(lambda ex: (ex["image"], ex["label"]))
        return ds

    def load(name, split=None, *args, as_supervised=False, with_info=False, **kwargs):
        base, spec = _spec(name)
        state.note(f"stand-in: tfds.load({base!r}) gives synthetic examples of the real features "
                   f"(image {tuple(spec['image'])} uint8)")
        state.replaced_data.append({"what": "tfds.load", "requested": str(name), "file": None, "line": None})
        if split is None:
            out = {s: dataset(base, spec, s, as_supervised) for s in counts}
        elif isinstance(split, (list, tuple)):
            out = [dataset(base, spec, s, as_supervised) for s in split]
        else:
            out = dataset(base, spec, split, as_supervised)
        return (out, _Info(base, spec, counts)) if with_info else out

    def as_numpy(ds):
        return ds.as_numpy_iterator() if hasattr(ds, "as_numpy_iterator") else ds

    module = sys.modules.get("tensorflow_datasets")
    if module is not None:
        module.__dict__["load"] = load
        module.__dict__["as_numpy"] = as_numpy
        module.__dict__["disable_progress_bar"] = lambda *a, **k: None
        module.__dict__["Split"] = types.SimpleNamespace(TRAIN="train", TEST="test", VALIDATION="validation",
                                                         ALL="train")
