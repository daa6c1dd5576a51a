"""Instrumentation installed in the verification child before the user's script runs.

Nothing here is imported by the fixorder process itself: it needs TensorFlow and it patches
Keras globally.  What it does:

* every ``keras.applications`` constructor named in the catalogue is replaced, in every module
  that exports it (keras, keras.applications.<module>, tf.keras (Keras 3's ``keras._tf_keras``),
  tf_keras), by a wrapper that forces ``weights=None``, remembers what was requested, where it
  was called from, and wraps the ``call`` of the backbone's first real layer (the layer that
  consumes the backbone's input tensor) so that the per-channel min/max of every batch that
  reaches it is accumulated in TensorFlow variables (works eagerly and inside ``tf.function``);
* data sources: ``image_dataset_from_directory`` and ``ImageDataGenerator.flow_from_directory``
  read a generated folder; ``get_file``, network connections and ``tensorflow_datasets`` are
  refused; ``fit`` / ``evaluate`` / ``predict`` run one step.
"""

from __future__ import annotations

import functools
import inspect
import os
import socket
import sys
import threading
import types
from dataclasses import dataclass, field
from typing import Any

from fixorder.verify import _data, _feeds


class Refused(RuntimeError):
    """Raised into the user's script when it asks for something verify will not provide."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind  # "download", "unreplaceable" or "write"
        self.message = message


@dataclass
class BackboneRecord:
    index: int
    name: str
    framework: str
    requested_weights: Any
    include_preprocessing: Any
    file: str | None
    line: int | None
    model: Any = field(repr=False)
    probe_layer: Any = field(repr=False, default=None)
    probe_error: str | None = None
    channel_axis: int = -1
    mins: Any = field(repr=False, default=None)
    maxs: Any = field(repr=False, default=None)
    count: Any = field(repr=False, default=None)
    nonfinite: Any = field(repr=False, default=None)


class State:
    def __init__(self, script: str, display_path: str, gen_root: str, source_dirs: list[str]):
        self.script_real = os.path.realpath(script)
        self.display_path = display_path
        self.gen_root = gen_root
        self.source_dirs = [os.path.realpath(d) for d in source_dirs]
        self.backbones: list[BackboneRecord] = []
        self.refusals: list[dict] = []
        self.replaced_data: list[dict] = []
        self.bounded_calls: list[str] = []
        self.skipped_loads: list[str] = []
        self.frameworks: list[str] = []
        self.modules: list[tuple[str, Any]] = []
        self.notes: list[str] = []
        self._folders: dict[tuple, str] = {}
        self._lock = threading.Lock()
        self._depth = threading.local()
        self.tf = None
        self._library_dirs = _library_dirs()
        self.standins = None  # fixorder.verify._standins.Notes once the stand-ins are installed
        self.images_per_class = _data.IMAGES_PER_CLASS  # verify_batch's fixtures need fewer
        self.inert_missing_modules = False  # pipeline mode: any module not installed is inert
        # Every backbone is built trainable=False: what reaches its first layer does not depend
        # on it, and its one training step then costs a forward pass instead of a backward one.
        self.freeze_backbones = True
        self.unjudged_lines: frozenset[int] = frozenset()  # the script's shape probes (slicing.py)

    def in_user_code(self) -> bool:
        """Is the caller of the patched function (skipping fixorder's own frames) the script?"""
        frame = sys._getframe(2)
        own = os.path.dirname(os.path.realpath(__file__))
        while frame is not None:
            fname = frame.f_code.co_filename
            real = os.path.realpath(fname) if not fname.startswith("<") else fname
            if not real.startswith(own):
                return real == self.script_real
            frame = frame.f_back
        return False

    def note(self, text: str) -> None:
        """Say once, in the report's notes, what verify changed about the run."""
        if text not in self.notes:
            self.notes.append(text)

    def after_import(self, module_name: str, patch) -> None:
        """Run ``patch(module)`` once ``module_name`` is imported (now, if it already is)."""
        if self.standins is not None and getattr(self.standins, "after", None) is not None:
            self.standins.after.add(module_name, patch)

    # -- where in the user's code ------------------------------------------------------
    def user_site(self) -> tuple[str | None, int | None]:
        frame = sys._getframe(2)
        fallback = None
        while frame is not None:
            fname = frame.f_code.co_filename
            real = os.path.realpath(fname) if not fname.startswith("<") else fname
            if real == self.script_real:
                return self.display_path, frame.f_lineno
            if fallback is None and not fname.startswith("<") and not any(
                    real.startswith(d) for d in self._library_dirs):
                fallback = (fname, frame.f_lineno)
            frame = frame.f_back
        return fallback if fallback else (None, None)

    def refuse(self, kind: str, message: str):
        line = self.user_site()
        self.refusals.append({"kind": kind, "message": message, "file": line[0], "line": line[1]})
        raise Refused(kind, message)

    # -- generated data ------------------------------------------------------------------
    def image_folder(self, requested_dir: Any, class_names=None) -> str:
        names = None
        if class_names:
            names = [str(n) for n in class_names]
        else:
            names = self._mirror_classes(requested_dir)
        key = tuple(names or ())
        with self._lock:
            if key not in self._folders:
                root = os.path.join(self.gen_root, f"images_{len(self._folders)}")
                self._folders[key] = _data.make_image_folder(root, names, per_class=self.images_per_class)
            return self._folders[key]

    def _mirror_classes(self, requested_dir: Any) -> list[str] | None:
        """Class folder names of the real directory when it exists (names only; no file is read)."""
        try:
            p = os.fspath(requested_dir)
        except TypeError:
            return None
        candidates = [p] if os.path.isabs(p) else [os.path.join(d, p) for d in self.source_dirs]
        for c in candidates:
            try:
                if os.path.isdir(c):
                    subs = sorted(e.name for e in os.scandir(c) if e.is_dir() and not e.name.startswith("."))
                    if 2 <= len(subs) <= _data.MAX_CLASSES:
                        return subs
            except OSError:
                continue
        return None


def _library_dirs() -> list[str]:
    import sysconfig

    dirs = set()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        try:
            dirs.add(os.path.realpath(sysconfig.get_paths()[key]))
        except KeyError:
            pass
    import fixorder

    dirs.add(os.path.dirname(os.path.realpath(fixorder.__file__)))
    return sorted(dirs)


# ---------------------------------------------------------------------------------------
# helpers

def _replace_everywhere(mapping: dict[int, tuple[Any, Any]], prefixes=("keras", "tf_keras", "tensorflow")) -> int:
    """Replace, in every loaded module under ``prefixes``, attributes that are one of the
    originals (by identity) with their wrapper.  ``mapping``: id(original) -> (original, wrapper)."""
    n = 0
    for name, mod in list(sys.modules.items()):
        if mod is None or name.split(".", 1)[0] not in prefixes:
            continue
        d = getattr(mod, "__dict__", None)
        if not isinstance(d, dict):
            continue
        for attr, value in list(d.items()):
            hit = mapping.get(id(value))
            if hit is not None and hit[0] is value:
                try:
                    setattr(mod, attr, hit[1])
                    n += 1
                except Exception:
                    pass
    return n


def _is_symbolic(x) -> bool:
    return type(x).__name__ == "KerasTensor"


def _flatten_layers(model) -> list:
    try:
        return list(model._flatten_layers(include_self=False, recursive=True))
    except Exception:
        return list(getattr(model, "layers", []))


def _first_real_layer(model, input_tensor, tf):
    """The layer that consumes the backbone's input tensor (its first layer after the InputLayer,
    or the first of its built-in preprocessing layers)."""
    target = None
    if input_tensor is not None and _is_symbolic(input_tensor):
        target = input_tensor
    else:
        try:
            target = model.inputs[0]
        except Exception:
            target = None
    layers = list(getattr(model, "layers", []))
    if target is not None:
        for layer in layers:
            if type(layer).__name__ == "InputLayer":
                continue
            for node in getattr(layer, "_inbound_nodes", []) or []:
                try:
                    ins = tf.nest.flatten(node.input_tensors)
                except Exception:
                    continue
                if any(t is target for t in ins):
                    return layer
    if input_tensor is None:
        for layer in layers:
            if type(layer).__name__ != "InputLayer":
                return layer
    return None


# ---------------------------------------------------------------------------------------
# installation

def install(state: State, keras_major: int = 3) -> None:
    """Instrument Keras 3 (and tf_keras when imported); with ``keras_major=2``, only tf_keras, and
    ``import keras...`` resolves to tf_keras (the child's environment has TF_USE_LEGACY_KERAS=1)."""
    import tensorflow as tf

    from fixorder.verify import _standins

    state.tf = tf
    state.standins = _standins.install(state.notes, state.script_real, state.inert_missing_modules)
    if keras_major == 2:
        _instrument_tf_keras(state)
        _alias_keras_to_tf_keras(state)
        _install_tfds_stub(state)
        _install_network_guard(state)
        _install_file_lists(state)
        _feeds.install(state)
        return
    try:
        import keras

        try:
            import keras._tf_keras.keras  # noqa: F401  (what tf.keras resolves to)
            import keras._tf_keras.keras.applications  # noqa: F401
        except Exception:
            pass
        _install_framework(state, "keras3", keras, ("keras", "tensorflow"))
    except ImportError:
        pass
    # tf_keras is instrumented when (and only if) something imports it: the script, or tf.keras
    # with TF_USE_LEGACY_KERAS=1.  That saves its import time for Keras 3 scripts.
    if "tf_keras" in sys.modules:
        _instrument_tf_keras(state)
    else:
        sys.meta_path.insert(0, _TfKerasHook(state))
    _install_tfds_stub(state)
    _install_network_guard(state)
    _install_file_lists(state)
    _feeds.install(state)


def _install_file_lists(state: State) -> None:
    """``glob.glob`` / ``glob.iglob`` / ``tf.io.gfile.glob`` of image files under a directory that
    is not there match generated images instead (``<dir>/*/*.jpg``: two class folders; ``<dir>/*.jpg``:
    files at the top), so that ``from_tensor_slices(paths).map(decode)`` pipelines get data: the
    decoder then yields uint8 pixels, as it would for the real files."""
    import glob as glob_module

    tf = state.tf
    orig_glob, orig_iglob = glob_module.glob, glob_module.iglob
    orig_gfile_glob = tf.io.gfile.glob

    def standin(pattern, found):
        if found:
            return found
        text = os.fsdecode(pattern) if not isinstance(pattern, str) else pattern
        root = text[: min([text.find(c) for c in "*?[" if c in text] or [len(text)])]
        root = os.path.dirname(root) if not root.endswith(os.sep) else root.rstrip(os.sep)
        ext = os.path.splitext(text)[1].lower()
        if not root or os.path.exists(root) or ext not in (".jpg", ".jpeg", ".png", ".bmp", ""):
            return found
        folder = state.image_folder(root)
        for k in range(_data.IMAGES_PER_CLASS):
            top = os.path.join(folder, f"top_{k}.jpg")
            if not os.path.exists(top):
                import shutil

                first_class = sorted(e.path for e in os.scandir(folder) if e.is_dir())[0]
                shutil.copyfile(os.path.join(first_class, f"img_{k}.jpg"), top)
        generated = orig_glob(folder + text[len(root):].replace(ext, ".jpg") if ext else folder + text[len(root):],
                              recursive=True)
        if generated:
            state.replaced_data.append({"what": "glob", "requested": text, "file": None, "line": None})
            state.note(f"stand-in: {text!r} matches nothing here: generated images instead")
        return generated

    def glob_(pathname, *args, **kwargs):
        return standin(pathname, orig_glob(pathname, *args, **kwargs))

    def iglob(pathname, *args, **kwargs):
        return iter(standin(pathname, list(orig_iglob(pathname, *args, **kwargs))))

    def gfile_glob(pattern):
        return standin(pattern, orig_gfile_glob(pattern))

    glob_module.glob, glob_module.iglob = glob_, iglob
    tf.io.gfile.glob = gfile_glob


def _install_framework(state: State, framework: str, K, prefixes) -> None:
    if state.standins is not None:
        from fixorder.verify import _standins

        _standins.install_datasets(state.standins, K)
    state.frameworks.append(framework)
    state.modules.append((framework, K))
    pairs = [(framework, K)]
    _install_backbones(state, state.tf, pairs, prefixes)
    _install_data(state, pairs, prefixes)
    _install_downloads(state, pairs, prefixes)
    _install_training_bounds(state, pairs)
    _install_optimizer_spellings(state, pairs)


def _instrument_tf_keras(state: State) -> None:
    try:
        import tf_keras
        import tf_keras.api._v2.keras  # noqa: F401  (what tf.keras resolves to with TF_USE_LEGACY_KERAS=1)

        _install_framework(state, "tf_keras", tf_keras, ("tf_keras", "tensorflow"))
    except Exception as exc:  # never break the script's import
        state.notes.append(f"could not instrument tf_keras: {type(exc).__name__}: {exc}")


class _KerasAlias:
    """A meta path finder that makes ``keras`` and ``keras.x.y`` the very modules ``tf_keras`` and
    ``tf_keras.x.y`` (or ``tf_keras.src.x.y`` for Keras 2 modules tf_keras keeps only there, such
    as ``keras.layers.core``), so that instrumented classes are the ones the script gets."""

    def find_spec(self, name, path=None, target=None):
        if name != "keras" and not name.startswith("keras."):
            return None
        rest = name[len("keras"):]
        return _existing_spec(name, ("tf_keras" + rest, "tf_keras.src" + rest))


class _KerasTwoModulesUnderSrc:
    """Last on the meta path, so asked only once the other finders found nothing: a
    ``tf_keras.x`` that is not there is ``tf_keras.src.x`` (``from keras.utils import np_utils``
    imports the submodule by the name of the module it got, ``tf_keras.utils.np_utils``, which
    tf_keras keeps only under ``src``)."""

    def find_spec(self, name, path=None, target=None):
        if not name.startswith("tf_keras.") or name.startswith("tf_keras.src."):
            return None
        return _existing_spec(name, ("tf_keras.src" + name[len("tf_keras"):],))


def _existing_spec(name: str, candidates: tuple[str, ...]):
    """A spec under ``name`` for the first of ``candidates`` that imports, or None."""
    import importlib
    import importlib.machinery

    for candidate in candidates:
        try:
            module = importlib.import_module(candidate)
        except ImportError:
            continue
        return importlib.machinery.ModuleSpec(name, _ExistingModule(module), is_package=hasattr(module, "__path__"))
    return None


class _ExistingModule:
    def __init__(self, module):
        self.module = module

    def create_module(self, spec):
        return self.module

    def exec_module(self, module):
        pass


def _alias_keras_to_tf_keras(state: State) -> None:
    for name in [n for n in sys.modules if n == "keras" or n.startswith("keras.")]:
        del sys.modules[name]  # a Keras 3 imported while TensorFlow started
    sys.meta_path.insert(0, _KerasAlias())
    sys.meta_path.append(_KerasTwoModulesUnderSrc())
    state.notes.append("keras resolved to tf_keras (Keras 2)")


class _TfKerasHook:
    """A meta path finder that instruments tf_keras right after it is first imported."""

    def __init__(self, state: State):
        self.state = state
        self.done = False

    def find_spec(self, name, path=None, target=None):
        if name != "tf_keras" or self.done:
            return None
        self.done = True
        spec = None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        loader_exec = spec.loader.exec_module
        state = self.state

        def exec_module(module):
            loader_exec(module)
            _instrument_tf_keras(state)

        spec.loader.exec_module = exec_module
        return spec


def _install_backbones(state: State, tf, pairs, prefixes) -> None:
    from fixorder import catalog

    cat = catalog.load()
    mapping: dict[int, tuple[Any, Any]] = {}
    for framework, K in pairs:
        apps = getattr(K, "applications", None)
        if apps is None:
            continue
        if framework == "keras3":
            import keras

            data_format = keras.config.image_data_format
        else:
            data_format = K.backend.image_data_format
        for name in cat.backbones:
            orig = getattr(apps, name, None)
            if orig is None or id(orig) in mapping:
                continue
            mapping[id(orig)] = (orig, _backbone_wrapper(state, tf, orig, name, framework, data_format))
    _replace_everywhere(mapping, prefixes)


def _backbone_wrapper(state: State, tf, orig, name: str, framework: str, data_format):
    sig = inspect.signature(orig)

    @functools.wraps(orig)
    def wrapper(*args, **kwargs):
        depth = getattr(state._depth, "n", 0)
        if depth:
            return orig(*args, **kwargs)
        bound = sig.bind_partial(*args, **kwargs)
        params = sig.parameters
        requested = bound.arguments.get("weights", params["weights"].default if "weights" in params else None)
        include_pre = bound.arguments.get("include_preprocessing") if "include_preprocessing" in params else None
        input_tensor = bound.arguments.get("input_tensor")
        if "weights" in params:
            bound.arguments["weights"] = None
        file, line = state.user_site()
        state._depth.n = depth + 1
        try:
            model = orig(*bound.args, **bound.kwargs)
        finally:
            state._depth.n = depth
        if state.freeze_backbones:
            model.trainable = False
        rec = BackboneRecord(
            index=len(state.backbones), name=name, framework=framework,
            requested_weights=requested if requested is None or isinstance(requested, str) else repr(requested),
            include_preprocessing=include_pre, file=file, line=line, model=model,
        )
        try:
            rec.channel_axis = -1 if data_format() == "channels_last" else 1
        except Exception:
            rec.channel_axis = -1
        try:
            _attach_probe(state, tf, rec, input_tensor)
        except Exception as exc:  # never break the user's script
            rec.probe_error = f"could not instrument the backbone: {type(exc).__name__}: {exc}"
        state.backbones.append(rec)
        return model

    wrapper.__fixorder_wrapped__ = orig
    return wrapper


def _attach_probe(state: State, tf, rec: BackboneRecord, input_tensor) -> None:
    model = rec.model
    layer = _first_real_layer(model, input_tensor, tf)
    if layer is None:
        rec.probe_error = "could not find the backbone's first layer"
        return
    channels = None
    try:
        shape = tuple(model.inputs[0].shape) if input_tensor is None else tuple(input_tensor.shape)
        channels = shape[rec.channel_axis]
    except Exception:
        pass
    channels = int(channels) if channels else 3
    with tf.init_scope():
        rec.mins = tf.Variable(tf.fill([channels], float("inf")), trainable=False, dtype=tf.float32,
                               name=f"fixorder_min_{rec.index}")
        rec.maxs = tf.Variable(tf.fill([channels], float("-inf")), trainable=False, dtype=tf.float32,
                               name=f"fixorder_max_{rec.index}")
        rec.count = tf.Variable(0, trainable=False, dtype=tf.int64, name=f"fixorder_count_{rec.index}")
        rec.nonfinite = tf.Variable(0, trainable=False, dtype=tf.int64, name=f"fixorder_nonfinite_{rec.index}")
    rec.probe_layer = layer
    orig_call = layer.call
    axis = rec.channel_axis

    @tf.autograph.experimental.do_not_convert
    def record(x):
        if x is None or _is_symbolic(x) or isinstance(x, (list, tuple, dict)):
            return
        x = tf.cast(tf.convert_to_tensor(x), tf.float32)
        rank = x.shape.rank
        if rank is None or rank < 2:
            return
        ax = axis % rank
        if x.shape[ax] is not None and x.shape[ax] != channels:
            return
        axes = [i for i in range(rank) if i != ax]
        finite = tf.math.is_finite(x)
        mn = tf.reduce_min(tf.where(finite, x, tf.constant(float("inf"))), axis=axes)
        mx = tf.reduce_max(tf.where(finite, x, tf.constant(float("-inf"))), axis=axes)
        rec.mins.assign(tf.minimum(rec.mins, mn))
        rec.maxs.assign(tf.maximum(rec.maxs, mx))
        rec.nonfinite.assign_add(tf.reduce_sum(tf.cast(tf.logical_not(finite), tf.int64)))
        rec.count.assign_add(1)

    @tf.autograph.experimental.do_not_convert
    def call(*args, **kwargs):
        x = args[0] if args else kwargs.get("inputs", kwargs.get("x"))
        try:
            if not _from_a_shape_probe(state):
                record(x)
        except Exception:
            pass
        return orig_call(*args, **kwargs)

    layer.call = call


def _from_a_shape_probe(state: State) -> bool:
    """Is this call of the backbone an eager shape probe of the script (``base(batch).shape``)?
    The static analysis does not judge what a probe feeds, so neither does verify."""
    if not state.unjudged_lines:
        return False
    file, line = state.user_site()
    if file != state.display_path or line not in state.unjudged_lines:
        return False
    state.note(f"the shape probe at line {line} reached the backbone and is not judged (as in the static analysis)")
    return True


# -- data ---------------------------------------------------------------------------------

def _install_data(state: State, pairs, prefixes) -> None:
    originals = []
    for framework, K in pairs:
        for holder in ("utils", "preprocessing"):
            fn = getattr(getattr(K, holder, None), "image_dataset_from_directory", None)
            if fn is not None:
                originals.append(fn)
    mapping = {}
    for orig in originals:
        if id(orig) not in mapping:
            mapping[id(orig)] = (orig, _idfd_wrapper(state, orig))
    _replace_everywhere(mapping, prefixes)

    classes = []
    for framework, K in pairs:
        try:
            if framework == "keras3":
                from keras.src.legacy.preprocessing.image import ImageDataGenerator as G
            else:
                from tf_keras.src.preprocessing.image import ImageDataGenerator as G
            classes.append(G)
        except Exception:
            pass
    for cls in classes:
        orig = cls.flow_from_directory
        cls.flow_from_directory = _ffd_wrapper(state, orig)
        if hasattr(cls, "flow_from_dataframe"):
            cls.flow_from_dataframe = _ffdf_wrapper(state, cls.flow_from_dataframe, orig)
        if hasattr(cls, "flow"):
            cls.flow = _small_batch_wrapper(state, cls.flow)
        iterator = sys.modules[cls.__module__].__dict__.get("Iterator")
        if iterator is not None and not hasattr(iterator.__getitem__, "__fixorder_wrapped__"):
            iterator.__getitem__ = _wrapping_getitem(state, iterator.__getitem__)
    # load_img on a file that does not exist (e.g. a sample image next to the script): a generated image.
    img_mapping = {}
    for framework, K in pairs:
        for holder in ("utils", "preprocessing.image"):
            obj = K
            for part in holder.split("."):
                obj = getattr(obj, part, None)
            fn = getattr(obj, "load_img", None)
            if fn is not None and id(fn) not in img_mapping:
                img_mapping[id(fn)] = (fn, _load_img_wrapper(state, fn))
    _replace_everywhere(img_mapping, prefixes)


def _idfd_wrapper(state: State, orig):
    sig = inspect.signature(orig)

    @functools.wraps(orig)
    def wrapper(*args, **kwargs):
        bound = sig.bind_partial(*args, **kwargs)
        requested = bound.arguments.get("directory")
        labels = bound.arguments.get("labels", "inferred")
        if labels not in ("inferred", None):
            state.refuse("unreplaceable", "image_dataset_from_directory with an explicit list of labels: "
                                          "a data source fixorder verify cannot replace")
        folder = state.image_folder(requested, bound.arguments.get("class_names"))
        bound.arguments["directory"] = folder
        _small_batches(state, bound.arguments, sig)
        file, line = state.user_site()
        state.replaced_data.append({"what": "image_dataset_from_directory", "requested": str(requested),
                                    "file": file, "line": line})
        return orig(*bound.args, **bound.kwargs)

    return wrapper


def _ffd_wrapper(state: State, orig):
    sig = inspect.signature(orig)

    @functools.wraps(orig)
    def wrapper(*args, **kwargs):
        bound = sig.bind_partial(*args, **kwargs)
        requested = bound.arguments.get("directory")
        folder = state.image_folder(requested, bound.arguments.get("classes"))
        bound.arguments["directory"] = folder
        bound.arguments["save_to_dir"] = None
        _small_batches(state, bound.arguments, sig)
        file, line = state.user_site()
        state.replaced_data.append({"what": "flow_from_directory", "requested": str(requested),
                                    "file": file, "line": line})
        return orig(*bound.args, **bound.kwargs)

    return wrapper


def _wrapping_getitem(state: State, orig):
    """``gen[k]`` past the last batch reads from the start again: the generated data (or the
    stand-in arrays) hold far fewer images than the script's real data, whose ``gen[1]`` exists."""
    @functools.wraps(orig)
    def getitem(self, idx):
        n = len(self)
        if isinstance(idx, int) and n and idx >= n:
            state.note("an ImageDataGenerator iterator indexed past its last batch reads from its start "
                       "(verify's data holds fewer images than the real data)")
            idx %= n
        return orig(self, idx)

    getitem.__fixorder_wrapped__ = orig
    return getitem


def _small_batches(state: State, arguments: dict, sig) -> None:
    """A generated feed's batches hold :data:`_data.FEED_BATCH` images (``batch_size=None``,
    unbatched, stays)."""
    if "batch_size" not in sig.parameters:
        return
    given = arguments.get("batch_size", sig.parameters["batch_size"].default)
    if given is None or not isinstance(given, int) or given <= _data.FEED_BATCH:
        return
    arguments["batch_size"] = _data.FEED_BATCH
    _note_small_batches(state)


def _small_batch_wrapper(state: State, orig):
    """``ImageDataGenerator.flow(x, ...)``: the arrays are the script's, the batches small."""
    sig = inspect.signature(orig)

    @functools.wraps(orig)
    def wrapper(*args, **kwargs):
        try:
            bound = sig.bind(*args, **kwargs)
        except TypeError:
            return orig(*args, **kwargs)
        _small_batches(state, bound.arguments, sig)
        return orig(*bound.args, **bound.kwargs)

    return wrapper


def _note_small_batches(state: State) -> None:
    state.note(f"batches are cut to {_data.FEED_BATCH} images (every generated image spans 0..255 in each "
               "channel, so they show the range a full batch would)")


# flow_from_dataframe's class modes that flow_from_directory reads from class folders too.
_FOLDER_CLASS_MODES = ("categorical", "binary", "sparse", "input", None)


def _ffdf_wrapper(state: State, orig, from_directory):
    """``flow_from_dataframe``: the files its table names are not here, so it reads a generated
    folder of the table's classes instead (``flow_from_directory`` with the same size, batch,
    colour mode, class mode and subset).  A table whose labels are not classes (``raw``,
    ``multi_output``) is a source verify cannot replace."""
    sig = inspect.signature(orig)
    dir_sig = inspect.signature(from_directory)

    @functools.wraps(orig)
    def wrapper(*args, **kwargs):
        bound = sig.bind_partial(*args, **kwargs)
        arguments = dict(bound.arguments)
        mode = arguments.get("class_mode", sig.parameters["class_mode"].default)
        if mode not in _FOLDER_CLASS_MODES:
            state.refuse("unreplaceable", f"ImageDataGenerator.flow_from_dataframe(class_mode={mode!r}): "
                                          "a data source fixorder verify cannot replace")
        frame = arguments.get("dataframe")
        y_col = arguments.get("y_col", sig.parameters["y_col"].default)
        classes = arguments.get("classes")
        if not classes and mode not in ("input", None):
            try:
                classes = sorted({str(v) for v in frame[y_col]})
            except Exception:
                classes = None
        folder = state.image_folder(None, classes if classes and len(classes) >= 2 else None)
        call = {k: v for k, v in arguments.items() if k in dir_sig.parameters and k not in ("directory", "classes")}
        call["save_to_dir"] = None
        _small_batches(state, call, dir_sig)
        file, line = state.user_site()
        state.replaced_data.append({"what": "flow_from_dataframe", "requested": f"a table of {y_col!r}",
                                    "file": file, "line": line})
        state.note("stand-in: ImageDataGenerator.flow_from_dataframe reads a generated folder of the table's "
                   "classes (its files are not here)")
        return from_directory(call.pop("self"), folder, **call)

    return wrapper


def _load_img_wrapper(state: State, orig):
    @functools.wraps(orig)
    def wrapper(path, *args, **kwargs):
        try:
            exists = os.path.exists(os.fspath(path))
        except TypeError:
            exists = True  # a file-like object: let Keras read it
        if exists:
            return orig(path, *args, **kwargs)
        from PIL import Image

        target = kwargs.get("target_size") or (args[2] if len(args) > 2 else None)
        h, w = (int(target[0]), int(target[1])) if target else (_data.IMAGE_SIDE, _data.IMAGE_SIDE)
        state.replaced_data.append({"what": "load_img", "requested": str(path), "file": None, "line": None})
        img = Image.fromarray(_data.gradient_image(0, h, w), "RGB")
        mode = kwargs.get("color_mode") or (args[1] if len(args) > 1 and isinstance(args[1], str) else "rgb")
        if mode == "grayscale":
            img = img.convert("L")
        elif mode == "rgba":
            img = img.convert("RGBA")
        return img

    return wrapper


def _unreplaceable(state: State, what: str):
    def refused(*args, **kwargs):
        state.refuse("unreplaceable", f"{what}: a data source fixorder verify cannot replace")

    return refused


def _install_downloads(state: State, pairs, prefixes) -> None:
    mapping = {}
    for framework, K in pairs:
        fn = getattr(getattr(K, "utils", None), "get_file", None)
        if fn is not None and id(fn) not in mapping:
            mapping[id(fn)] = (fn, _get_file_refuser(state, fn))
    _replace_everywhere(mapping, prefixes)


def _get_file_refuser(state: State, orig):
    @functools.wraps(orig)
    def get_file(fname=None, origin=None, *args, **kwargs):
        stand_in = _feeds.archive_path(state, fname, origin, kwargs)
        if stand_in is not None:
            return stand_in
        what = origin or fname
        state.refuse("download", f"download refused: get_file({what!r}); fixorder verify never downloads "
                                 "(weights are forced to None and data directories are generated)")

    return get_file


class _TfdsStub(types.ModuleType):
    """Stands in for ``tensorflow_datasets``: any use raises Refused."""

    def __init__(self, state: State):
        super().__init__("tensorflow_datasets")
        self.__dict__["_state"] = state
        self.__dict__["__path__"] = []

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        state = self.__dict__["_state"]
        return _TfdsAttr(state, f"tfds.{name}")


class _TfdsAttr:
    def __init__(self, state, what):
        self._state, self._what = state, what

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _TfdsAttr(self._state, f"{self._what}.{name}")

    def __call__(self, *args, **kwargs):
        self._state.refuse("unreplaceable", f"{self._what}(...) (tensorflow_datasets): a data source "
                                            "fixorder verify cannot replace")


def _install_tfds_stub(state: State) -> None:
    sys.modules["tensorflow_datasets"] = _TfdsStub(state)


def _install_network_guard(state: State) -> None:
    orig_connect = socket.socket.connect
    orig_connect_ex = socket.socket.connect_ex

    def guard(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            state.refuse("download", f"network access refused (connect to {address!r}); "
                                     "fixorder verify runs without network")

    def connect(self, address):
        guard(self, address)
        return orig_connect(self, address)

    def connect_ex(self, address):
        guard(self, address)
        return orig_connect_ex(self, address)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex


# -- one or two steps ----------------------------------------------------------------------

def _install_training_bounds(state: State, pairs) -> None:
    for framework, K in pairs:
        model_cls = getattr(K, "Model", None)
        if model_cls is None:
            continue
        for meth, bounds in (
            ("fit", {"epochs": 1, "initial_epoch": 0, "steps_per_epoch": 1}),
            ("evaluate", {"steps": 1}),
            ("predict", {"steps": 1}),
        ):
            orig = getattr(model_cls, meth, None)
            if orig is None:
                continue
            setattr(model_cls, meth, _bounded(state, orig, meth, bounds))
        orig_load = getattr(model_cls, "load_weights", None)
        if orig_load is not None:
            setattr(model_cls, "load_weights", _skip_load_weights(state, orig_load))


def _bounded(state: State, orig, meth: str, bounds: dict):
    sig = inspect.signature(orig)

    @functools.wraps(orig)
    def wrapper(self, *args, **kwargs):
        try:
            bound = sig.bind(self, *args, **kwargs)
        except TypeError:
            return orig(self, *args, **kwargs)
        for k, v in bounds.items():
            if k in sig.parameters:
                bound.arguments[k] = v
        if meth == "fit" and bound.arguments.get("validation_data") is not None and "validation_steps" in sig.parameters:
            bound.arguments["validation_steps"] = 1
            bound.arguments["validation_freq"] = 1
        if meth == "fit" and bound.arguments.get("class_weight") is not None:
            # It weights the loss of each class (Keras 2 also took a list; Keras 3 wants a dict
            # of the real classes): nothing that reaches the backbone depends on it.
            bound.arguments["class_weight"] = None
            state.note("fit(class_weight=...): not applied (it weights the loss only)")
        if meth == "fit" and state.freeze_backbones:
            # A script that fine-tunes sets its backbone trainable again after building it: the
            # one step still needs its forward pass only.
            for rec in state.backbones:
                try:
                    rec.model.trainable = False
                except Exception:
                    pass
        if bound.arguments.get("callbacks"):
            # Checkpoints, loggers and schedules write files or change nothing that reaches the
            # backbone in one step: they are not run.
            bound.arguments["callbacks"] = None
            state.note(f"{meth}(callbacks=...): the callbacks are not run (one step)")
        if _first_batch_of_arrays(bound.arguments):
            _note_small_batches(state)
        state.bounded_calls.append(meth)
        if os.environ.get("FIXORDER_VERIFY_EAGER", "1") == "1":
            # One step does not repay tracing and optimising the whole model into a graph (the
            # most of a step's cost for a large backbone on a CPU); eagerly, the same batches
            # reach the same layers.  tf.data map functions still run as graphs, as written.
            try:
                self.run_eagerly = True
            except Exception:
                pass
        return orig(*bound.args, **bound.kwargs)

    return wrapper


def _first_batch_of_arrays(arguments: dict) -> bool:
    """One step reads one batch: NumPy arrays of a whole dataset (50,000 CIFAR images resized
    to 224 px by the model's first layer) are cut to a batch of :data:`_data.FEED_BATCH` first,
    so that nothing else is ever converted or resized; every sample goes through the same
    layers.  Validation arrays likewise.  True when something was cut."""
    import numpy as np

    def long(a) -> bool:
        return isinstance(a, np.ndarray) and a.ndim > 0 and len(a) > _data.FEED_BATCH

    def same_length(a, n) -> bool:
        return isinstance(a, np.ndarray) and a.ndim > 0 and len(a) == n

    x = arguments.get("x")
    if not isinstance(x, np.ndarray) or x.ndim == 0:
        return False
    cut = False
    if long(x):
        n = len(x)
        for key in ("x", "y", "sample_weight"):
            if key in arguments and same_length(arguments[key], n):
                arguments[key] = arguments[key][:_data.FEED_BATCH]
        cut = True
    if (arguments.get("batch_size") or 32) > _data.FEED_BATCH:
        arguments["batch_size"] = _data.FEED_BATCH
    val = arguments.get("validation_data")
    if isinstance(val, tuple) and val and long(val[0]):
        n = len(val[0])
        arguments["validation_data"] = tuple(v[:_data.FEED_BATCH] if same_length(v, n) else v for v in val)
        cut = True
    return cut


# Keras 2 optimizer arguments that today's optimizers (Keras 3 and tf_keras's) reject: ``lr`` is
# ``learning_rate``; ``decay`` (a learning-rate schedule) changes nothing that reaches a backbone.
_RENAMED_OPTIMIZER_ARGUMENTS = {"lr": "learning_rate"}
_DROPPED_OPTIMIZER_ARGUMENTS = ("decay",)


def _install_optimizer_spellings(state: State, pairs) -> None:
    for framework, K in pairs:
        optimizers = getattr(K, "optimizers", None)
        base = getattr(optimizers, "Optimizer", None)
        if base is None:
            continue
        for name in dir(optimizers):
            cls = getattr(optimizers, name, None)
            if isinstance(cls, type) and issubclass(cls, base) and not getattr(cls.__init__, "__fixorder__", False):
                cls.__init__ = _optimizer_init(state, cls.__init__)


def _optimizer_init(state: State, orig):
    @functools.wraps(orig)
    def __init__(self, *args, **kwargs):
        changed = []
        for old, new in _RENAMED_OPTIMIZER_ARGUMENTS.items():
            if old in kwargs:
                value = kwargs.pop(old)
                kwargs.setdefault(new, value)
                changed.append(f"{old}= read as {new}=")
        for old in _DROPPED_OPTIMIZER_ARGUMENTS:
            if old in kwargs:
                kwargs.pop(old)
                changed.append(f"{old}= dropped")
        if changed:
            state.note(f"optimizer arguments in the Keras 2 spelling: {', '.join(changed)}")
        orig(self, *args, **kwargs)

    __init__.__fixorder__ = True
    return __init__


def _skip_load_weights(state: State, orig):
    @functools.wraps(orig)
    def load_weights(self, filepath=None, *args, **kwargs):
        state.skipped_loads.append(str(filepath))
        return None

    return load_weights


# ---------------------------------------------------------------------------------------
# after the script

def backbone_rows(state) -> list[dict]:
    """One result row per backbone the script built: what reached it, or why it is not known."""
    rows = []
    for rec in state.backbones:
        try:
            observed = observe(rec)
        except Exception as exc:
            observed = None
            rec.probe_error = rec.probe_error or f"could not read the observations: {exc}"
        rows.append({
            "index": rec.index, "name": rec.name, "framework": rec.framework,
            "requested_weights": rec.requested_weights, "include_preprocessing": rec.include_preprocessing,
            "file": rec.file, "line": rec.line, "probe_error": rec.probe_error, "observed": observed,
            "probe_layer": getattr(rec.probe_layer, "name", None),
        })
    return rows


def observe(rec: BackboneRecord) -> dict | None:
    if rec.count is None:
        return None
    count = int(rec.count.numpy())
    if count == 0:
        return None
    mins = [float(v) for v in rec.mins.numpy()]
    maxs = [float(v) for v in rec.maxs.numpy()]
    return {"count": count, "per_channel": [[a, b] for a, b in zip(mins, maxs)],
            "nonfinite": int(rec.nonfinite.numpy())}


def probe_unfed_models(state: State) -> list[dict]:
    """Call, once, on a generated raw batch, the outermost models that contain a backbone that has
    seen no data.  Returns one note per model called."""
    import gc

    notes = []
    pending = [r for r in state.backbones if r.probe_layer is not None and r.count is not None
               and int(r.count.numpy()) == 0]
    if not pending:
        return notes
    model_classes = []
    for framework, K in state.modules:
        if getattr(K, "Model", None) is not None:
            model_classes.append(K.Model)
    models = [o for o in gc.get_objects() if isinstance(o, tuple(model_classes))]
    layer_sets = {}
    for m in models:
        layer_sets[id(m)] = {id(l) for l in _flatten_layers(m)}
    for rec in pending:
        if int(rec.count.numpy()) > 0:
            continue  # fed by an earlier probe
        target = id(rec.probe_layer)
        candidates = [m for m in models if target in layer_sets[id(m)]]
        if not candidates:
            candidates = [rec.model]
            layer_sets.setdefault(id(rec.model), {id(l) for l in _flatten_layers(rec.model)})
        # outermost first: a model whose layers all belong to a bigger candidate is skipped.
        candidates.sort(key=lambda m: (-len(layer_sets[id(m)]), m is rec.model))
        chosen = []
        for m in candidates:
            s = layer_sets[id(m)] | {id(m)}
            if any(s <= layer_sets[id(c)] | {id(c)} for c in chosen):
                continue
            chosen.append(m)
        for m in chosen:
            notes.append(_call_on_raw_batch(state, m, rec))
    return notes


def _call_on_raw_batch(state: State, model, rec: BackboneRecord) -> dict:
    tf = state.tf
    name = getattr(model, "name", type(model).__name__)
    try:
        inputs = model.inputs
    except Exception:
        inputs = None
    if not inputs:
        # A subclassed model (or an unbuilt Sequential) has no input tensor yet: assume it takes
        # images of the backbone's input shape.
        try:
            inputs = rec.model.inputs
        except Exception:
            inputs = None
    if not inputs or len(inputs) != 1:
        return {"model": name, "backbone": rec.index, "error": "model does not have exactly one input"}
    spec = inputs[0]
    shape = list(spec.shape)
    dtype = spec.dtype
    dtype = getattr(dtype, "name", dtype)
    dtype = str(dtype)
    if "string" in dtype or "bool" in dtype:
        return {"model": name, "backbone": rec.index, "error": f"model input dtype {dtype}"}
    channels_last = rec.channel_axis == -1
    filled = []
    for i, d in enumerate(shape):
        if d is not None:
            filled.append(int(d))
        elif i == 0:
            filled.append(2)
        elif (channels_last and i == len(shape) - 1) or (not channels_last and i == 1):
            filled.append(3)
        else:
            filled.append(75)  # enough for every backbone's minimum input size
    if filled and shape and shape[0] is not None:
        filled[0] = int(shape[0])
    batch = _data.raw_batch(tuple(filled), "float32" if "int" not in dtype else "uint8", channels_last)
    if "int" in dtype:
        batch = batch.astype(dtype)
    try:
        model(tf.convert_to_tensor(batch), training=False)
        return {"model": name, "backbone": rec.index, "shape": filled}
    except Exception as exc:
        return {"model": name, "backbone": rec.index, "shape": filled,
                "error": f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"}
