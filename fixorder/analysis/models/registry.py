"""The table that maps a called name to its API model.

A model is a small function ``model(it, call, callee) -> Value | None`` that says what one
library call does to its arguments (an image flow, a layer, a dataset).  ``None`` means "not
mine": the interpreter then treats the call as opaque.  Models are registered by name:

- Keras names under ``keras:`` and their path relative to the Keras package, whatever the
  import spelling (``keras:layers.RandomFlip`` for ``tf.keras.layers.RandomFlip``,
  ``tf_keras.layers...``; see analysis/names.py);
- every other name fully qualified (``tensorflow.image.random_flip_left_right``).

Registering one more TensorFlow function is one entry: often just a name added to a table in
catalog/api.py that a generic model already reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from fixorder.analysis import names

if TYPE_CHECKING:
    from fixorder.analysis.calls import Call
    from fixorder.analysis.interpreter import Interpreter
    from fixorder.analysis.values import Value


@dataclass(frozen=True)
class Callee:
    """The resolved name of what is called."""

    qualified: str  # as imported: ``tensorflow.keras.layers.RandomFlip``
    key: str  # the registry key: ``keras:layers.RandomFlip``
    framework: str | None  # the Keras spelling's framework (names.canonical), None for others

    @property
    def last(self) -> str:
        return self.qualified.rsplit(".", 1)[-1]

    @property
    def path(self) -> str:
        """The Keras-relative path (``layers.RandomFlip``); the qualified name for other names."""
        return self.key[len(KERAS):] if self.key.startswith(KERAS) else self.key


KERAS = "keras:"
CallModel = Callable[["Interpreter", "Call", Callee], "Value | None"]
MethodModel = Callable[["Interpreter", "Value", str, "Call"], "Value | None"]

_calls: dict[str, CallModel] = {}
_prefixes: list[tuple[str, CallModel]] = []
_methods: dict[tuple[type, str], MethodModel] = {}


def callee(qualified: str) -> Callee:
    canon = names.canonical(qualified)
    if canon is None:
        return Callee(qualified, qualified, None)
    framework, path = canon
    return Callee(qualified, KERAS + path, framework)


def calls(*keys: str) -> Callable[[CallModel], CallModel]:
    """Register a model for exact names."""
    def register(model: CallModel) -> CallModel:
        for key in keys:
            if key in _calls:
                raise ValueError(f"two models for {key}")
            _calls[key] = model
        return model
    return register


def calls_prefixed(*prefixes: str) -> Callable[[CallModel], CallModel]:
    """Register a model for every name below a prefix (``keras:applications.``)."""
    def register(model: CallModel) -> CallModel:
        _prefixes.extend((p, model) for p in prefixes)
        _prefixes.sort(key=lambda item: -len(item[0]))
        return model
    return register


def methods(owner: type, *method_names: str) -> Callable[[MethodModel], MethodModel]:
    """Register a model for methods of values of type ``owner`` (``"*"``: any other name)."""
    def register(model: MethodModel) -> MethodModel:
        for name in method_names:
            _methods[(owner, name)] = model
        return model
    return register


def call_models(key: str) -> list[CallModel]:
    """The models that may know ``key``, most specific first."""
    found = [_calls[key]] if key in _calls else []
    found.extend(model for prefix, model in _prefixes if key.startswith(prefix))
    return found


def method_model(owner: Value, name: str) -> MethodModel | None:
    for cls in type(owner).__mro__:
        model = _methods.get((cls, name)) or _methods.get((cls, "*"))
        if model is not None:
            return model
    return None
