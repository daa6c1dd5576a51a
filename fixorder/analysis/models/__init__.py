"""API models: what library calls do to an image (see registry.py).

Importing this package registers every model.
"""

from fixorder.analysis.models import (  # noqa: F401  (registration on import)
    image_data_generator, image_objects, keras_applications, keras_layers, keras_models, sklearn, tensors, tf_data,
    tf_wrappers, tfds,
)
from fixorder.analysis.models.registry import Callee, call_models, callee, method_model

__all__ = ["Callee", "call_models", "callee", "method_model"]
