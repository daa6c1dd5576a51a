"""Map every Keras import spelling to one canonical name.

``tensorflow.keras.applications.mobilenet_v2.MobileNetV2``, ``keras.applications.MobileNetV2``,
``tf_keras.applications...`` and ``tensorflow.python.keras.applications...`` all name the
same catalogue entry.  ``canonical`` returns ``(framework, path)`` where ``path`` is relative to
the Keras package (``applications.mobilenet_v2.MobileNetV2``), or ``None`` for other names.
"""

from __future__ import annotations

# Longest prefix first.  The framework tells the fixer which import style the file uses.
_KERAS_PREFIXES = (
    ("tensorflow.python.keras.", "tensorflow.python.keras"),
    ("tensorflow.compat.v2.keras.", "tensorflow.keras"),
    ("tensorflow.compat.v1.keras.", "tensorflow.keras"),
    ("tensorflow.keras.", "tensorflow.keras"),
    ("keras._tf_keras.keras.", "tensorflow.keras"),
    ("tf_keras.src.", "tf_keras"),
    ("tf_keras.", "tf_keras"),
    ("keras.src.", "keras"),
    ("keras.", "keras"),
)

_KERAS_PREPROCESSING = "keras_preprocessing."

# Sub-paths that are re-exports of the public ones (legacy layer and generator locations).
_ALIASES = (
    ("layers.experimental.preprocessing.", "layers."),
    ("layers.preprocessing.", "layers."),
    ("legacy.preprocessing.image.", "preprocessing.image."),
    ("src.legacy.preprocessing.image.", "preprocessing.image."),
    ("preprocessing.image_dataset_from_directory", "utils.image_dataset_from_directory"),
    ("engine.sequential.Sequential", "Sequential"),
    ("models.Sequential", "Sequential"),
    ("models.Model", "Model"),
    ("layers.Input", "Input"),
)


def canonical(qualified: str) -> tuple[str, str] | None:
    """``("tensorflow.keras", "applications.MobileNetV2")`` for a Keras name, else None."""
    for prefix, framework in _KERAS_PREFIXES:
        if qualified.startswith(prefix):
            path = qualified[len(prefix):]
            for old, new in _ALIASES:
                # Whole names only: "layers.Input" is not a prefix of "layers.InputLayer".
                if path == old or (old.endswith(".") and path.startswith(old)):
                    path = new + path[len(old):]
                    break
            return framework, path
    if qualified.startswith(_KERAS_PREPROCESSING):
        # The standalone package Keras 2 re-exported as keras.preprocessing (image, sequence, text).
        return "keras", "preprocessing." + qualified[len(_KERAS_PREPROCESSING):]
    if qualified in ("keras", "tf_keras", "tensorflow.keras"):
        return qualified, ""
    return None


def is_tensorflow(qualified: str, *names: str) -> bool:
    """True when ``qualified`` is ``tensorflow.<one of names>``."""
    return any(qualified == "tensorflow." + n for n in names)
