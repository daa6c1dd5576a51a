"""Inert stand-ins for what a script cannot do under verify; each one used is named in the notes.

Runs in the verification child only (after TensorFlow is imported, before the script):

* display: ``matplotlib.pyplot.show``, ``PIL.Image.Image.show``, ``IPython.display.display``
  do nothing (they would open windows or call an image viewer);
* progress bars: ``tqdm.tqdm`` / ``tqdm.auto.tqdm`` / ``trange`` return the iterable unchanged;
* notebook helpers that are not installed (``google.colab``, ``kaggle_datasets``, ...;
  ``standins.json``), and in pipeline mode any module that is not installed: modules whose
  every attribute is an inert callable object;
* TPU: ``TPUClusterResolver`` gives an inert resolver, connecting to a cluster and initialising
  the TPU system do nothing, ``TPUStrategy`` is the default strategy;
* data: ``keras.datasets.<name>.load_data()`` (Keras 3, tf.keras, tf_keras) returns synthetic
  arrays of the real per-sample shapes and dtypes, every image spanning 0..255.

Only what is actually used is noted: a stand-in notes itself when called.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import types
from pathlib import Path

_TABLE = json.loads((Path(__file__).parent / "standins.json").read_text(encoding="utf-8"))


class _Inert:
    """Any attribute, call, iteration or context use gives another inert object (or nothing)."""

    def __init__(self, name: str, note):
        self._name, self._note = name, note

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _Inert(f"{self._name}.{attr}", self._note)

    def __call__(self, *args, **kwargs):
        self._note()
        passthrough = _TABLE["passthrough_calls"].get(self._name)
        if passthrough == "first":
            return args[0] if args else kwargs.get("iterable", _Inert(f"{self._name}()", self._note))
        if passthrough == "range":
            return range(*args)
        if self._name.endswith("get_gcs_path"):
            return "/kaggle/input/fixorder-stand-in"
        return _Inert(f"{self._name}()", self._note)

    def __iter__(self):
        return iter(())

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __bool__(self):
        return False

    def __str__(self):
        return ""


def _imported_by(script_real: str) -> bool:
    """Is the import statement being run in the user's script?  Libraries probe for optional
    modules (Keras for IPython, to pick its progress bar) and must keep seeing them missing."""
    frame = sys._getframe(2)
    while frame is not None:
        fname = frame.f_code.co_filename
        if not fname.startswith("<frozen importlib"):
            return not fname.startswith("<") and os.path.realpath(fname) == script_real
        frame = frame.f_back
    return False


class _MissingModuleFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Provides an inert module for a listed notebook helper, only when the real one is missing
    and only to the script itself."""

    def __init__(self, notes: "Notes", script_real: str, any_missing: bool = False):
        self.notes = notes
        self.script_real = script_real
        self.any_missing = any_missing  # pipeline mode: every module the script lacks here
        self.busy = False

    def find_spec(self, name, path=None, target=None):
        if self.busy:
            return None
        top = next((m for m in _TABLE["missing_modules"] if name == m or name.startswith(m + ".")
                    or m.startswith(name + ".")), None)
        if top is None and self.any_missing and not self._installed(name.split(".")[0]):
            # Only a package that is not installed at all: a missing submodule of an installed
            # one (``keras.layers.experimental`` under Keras 3) is an error worth reporting.
            top = name
        if top is None or not _imported_by(self.script_real):
            return None
        if self._real(name, path) is not None:
            return None
        return importlib.machinery.ModuleSpec(name, self, is_package=True)

    def _real(self, name, path):
        """The module's own spec, looked up on the path only: going through sys.meta_path again
        would let the other finders (the after-import patches) act on a spec nobody imports."""
        self.busy = True
        try:
            return importlib.machinery.PathFinder.find_spec(name, path)
        except (ImportError, ValueError):
            return None
        finally:
            self.busy = False

    def _installed(self, top: str) -> bool:
        module = sys.modules.get(top)
        if module is not None:
            # An inert package given earlier is not installed: ``from pkg.sub import X`` after
            # ``import pkg`` needs its submodule inert too.
            return getattr(getattr(module, "__spec__", None), "loader", None) is not self
        return self._real(top, None) is not None

    def create_module(self, spec):
        name = spec.name
        module = types.ModuleType(name)
        module.__path__ = []
        why = next((w for m, w in _TABLE["missing_modules"].items()
                    if name == m or name.startswith(m + ".") or m.startswith(name + ".")),
                   _TABLE["any_missing_module"])
        note = self.notes.once(f"stand-in: {name} is not installed here: {why}")

        def attribute(attr):
            if attr.startswith("__"):
                raise AttributeError(attr)
            return _Inert(f"{name}.{attr}", note)

        module.__getattr__ = attribute
        note()
        return module

    def exec_module(self, module):
        pass


class Notes:
    def __init__(self, sink: list[str]):
        self.sink = sink

    def once(self, text: str):
        def note():
            if text not in self.sink:
                self.sink.append(text)
        return note


class _AfterImport(importlib.abc.MetaPathFinder):
    """Runs a patch right after a module is first imported (or now, when it already is), so that
    verify does not import matplotlib, PIL, IPython or tqdm for a script that does not."""

    def __init__(self):
        self.patches: dict[str, list] = {}
        self.busy = False

    def add(self, module_name: str, patch) -> None:
        if module_name in sys.modules:
            patch(sys.modules[module_name])
        else:
            self.patches.setdefault(module_name, []).append(patch)

    def find_spec(self, name, path=None, target=None):
        if name not in self.patches or self.busy:
            return None
        self.busy = True
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        finally:
            self.busy = False
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        patches = self.patches.pop(name)
        loader_exec = spec.loader.exec_module

        def exec_module(module):
            loader_exec(module)
            for patch in patches:
                try:
                    patch(module)
                except Exception:
                    pass

        spec.loader.exec_module = exec_module
        return spec


def _setter(owner: str | None, attr: str, make):
    def patch(module):
        target = getattr(module, owner) if owner else module
        orig = getattr(target, attr, None)
        if orig is not None:
            setattr(target, attr, make(orig))
    return patch


def install(sink: list[str], script_real: str, any_missing: bool = False) -> "Notes":
    """Install the stand-ins; returns the Notes to pass to :func:`install_datasets` per Keras.
    ``any_missing`` (pipeline mode): every module the script imports that is not installed here
    (a helper module of its repository, an app framework) is an inert module, not only those
    listed in standins.json; a stage that really needs it then fails, and says so."""
    notes = Notes(sink)
    after = _AfterImport()
    notes.after = after  # other stand-ins (fixorder.verify._feeds) patch modules on import too
    sys.meta_path.insert(0, after)
    sys.meta_path.insert(0, _MissingModuleFinder(notes, script_real, any_missing))
    _install_display(notes, after)
    _install_tqdm(notes, after)
    _install_tpu(notes)
    _install_command_line(notes)
    return notes


# What a required command-line argument the script was not given stands for: a file that is not
# here (reading it as an image gives a generated one; see fixorder.verify._feeds).
PLACEHOLDER_PATH = "fixorder-verify-input.jpg"


def _placeholder(action) -> str:
    if action.choices:
        return str(next(iter(action.choices)))
    if action.type in (int, float):
        return "1"
    return PLACEHOLDER_PATH


def _missing_required(parser, given: list[str]) -> tuple[list[str], list[str]]:
    """Command-line words that give each required argument missing from ``given`` a placeholder,
    and the arguments' names."""
    words, names = [], []
    for action in parser._actions:
        if action.nargs == 0 or action.nargs in ("?", "*") or action.default is not None:
            continue
        count = action.nargs if isinstance(action.nargs, int) else 1
        if action.option_strings:
            if not action.required or any(w == o or w.startswith(o + "=") for w in given
                                           for o in action.option_strings):
                continue
            words += [action.option_strings[-1], *[_placeholder(action)] * count]
        else:
            words += [_placeholder(action)] * count
        names.append(action.option_strings[-1] if action.option_strings else action.dest)
    return words, names


def _install_command_line(notes: Notes) -> None:
    """``parse_args()`` of the script's command line, run here without the arguments its author
    passed: each required one gets a placeholder instead of argparse exiting with status 2."""
    import argparse

    orig = argparse.ArgumentParser.parse_known_args

    def parse_known_args(self, args=None, namespace=None):
        if args is None:
            given = sys.argv[1:]
            words, names = _missing_required(self, given)
            if names:
                notes.once(f"stand-in: required command-line argument(s) {', '.join(names)} given placeholders "
                           f"({PLACEHOLDER_PATH!r} for a path: a file that is not here, so an image read from it "
                           "is generated)")()
                args = given + words
        return orig(self, args, namespace)

    argparse.ArgumentParser.parse_known_args = parse_known_args


def _noop(note):
    def make(orig):
        def standin(*args, **kwargs):
            note()
            return None
        return standin
    return make


def _install_display(notes: Notes, after: _AfterImport) -> None:
    after.add("matplotlib.pyplot", _setter(None, "show", _noop(notes.once(
        "stand-in: matplotlib.pyplot.show does nothing"))))
    after.add("PIL.Image", _setter("Image", "show", _noop(notes.once("stand-in: PIL.Image.Image.show does nothing"))))
    after.add("IPython.display", _setter(None, "display", _noop(notes.once(
        "stand-in: IPython.display.display does nothing"))))


def _install_tqdm(notes: Notes, after: _AfterImport) -> None:
    note = notes.once("stand-in: tqdm progress bars return the iterable unchanged")

    def make(orig):
        def standin(iterable=None, *args, **kwargs):
            note()
            return iterable if iterable is not None else _Inert("tqdm()", note)
        return standin

    def make_range(orig):
        def standin(*args, **kwargs):
            note()
            return range(*args)
        return standin

    for mod in ("tqdm", "tqdm.auto", "tqdm.notebook"):
        after.add(mod, _setter(None, "tqdm", make))
        after.add(mod, _setter(None, "trange", make_range))


def _install_tpu(notes: Notes) -> None:
    import tensorflow as tf

    note = notes.once("stand-in: no TPU here: TPUClusterResolver is inert, connecting and initialising "
                      "do nothing, TPUStrategy is the default strategy")

    def nothing(*args, **kwargs):
        note()

    def stand_in_class(real, make):
        # A subclass, not a function: TensorFlow and Keras test isinstance(x, tf.distribute.TPUStrategy).
        # Its __new__ returns something else, so no instance of it ever exists.
        try:
            return type(real.__name__, (real,), {"__new__": lambda cls, *a, **k: (note(), make())[1]})
        except TypeError:
            return None

    replacements = []
    resolver = getattr(tf.distribute.cluster_resolver, "TPUClusterResolver", None)
    if resolver is not None:
        replacements.append((tf.distribute.cluster_resolver, "TPUClusterResolver",
                             stand_in_class(resolver, lambda: _Inert("TPUClusterResolver()", note))))
    for owner in (tf.distribute, tf.distribute.experimental):
        real = getattr(owner, "TPUStrategy", None)
        if real is not None:
            replacements.append((owner, "TPUStrategy", stand_in_class(real, tf.distribute.get_strategy)))
    replacements += [(tf.config, "experimental_connect_to_cluster", nothing),
                     (tf.tpu.experimental, "initialize_tpu_system", nothing)]
    for owner, attr, value in replacements:
        if value is not None:
            try:
                setattr(owner, attr, value)
            except Exception:
                pass


def install_datasets(notes: Notes, K) -> None:
    """``K.datasets.<name>.load_data`` returns synthetic data of the real shapes (Keras module K)."""
    import numpy as np

    from fixorder.verify._data import gradient_image

    datasets = getattr(K, "datasets", None)
    if datasets is None:
        return
    distinct = _TABLE["samples"]["train"]
    for name, spec in _TABLE["datasets"].items():
        module = getattr(datasets, name, None)
        if module is None or not hasattr(module, "load_data"):
            continue
        note = notes.once(f"stand-in: {name}.load_data() gives synthetic data of the real shapes and dtypes "
                          f"({spec['train']} train, {spec['test']} test samples)")

        def load_data(*args, _spec=spec, _note=note, **kwargs):
            _note()

            def split(n):
                # The real sample counts (scripts reshape with them); distinct images repeat.
                shape = tuple(_spec["x"])
                h, w = shape[0], shape[1]
                c = shape[2] if len(shape) == 3 else 1
                base = np.stack([gradient_image(i, h, w, c) for i in range(distinct)]).reshape((distinct,) + shape)
                x = np.resize(base.astype(_spec["dtype"]), (n,) + shape)
                y = (np.arange(n) % _spec["classes"]).astype("uint8").reshape((n,) + tuple(_spec["y"]))
                return x, y

            return split(_spec["train"]), split(_spec["test"])

        orig = module.load_data
        # The same function is exported by several modules (keras.datasets.cifar10 and
        # keras._tf_keras.keras.datasets.cifar10, the private module): replace it in all.
        for mod_name, mod in list(sys.modules.items()):
            if mod is None or mod_name.split(".", 1)[0] not in ("keras", "tf_keras", "tensorflow"):
                continue
            if getattr(mod, "__dict__", {}).get("load_data") is orig:
                try:
                    mod.load_data = load_data
                except Exception:
                    pass
