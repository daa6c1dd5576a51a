"""How Keras, TensorFlow and NumPy calls change an image's value range, as data.

Names are canonical: Keras names relative to the Keras package (see analysis/names.py),
other names fully qualified.  The analysis looks calls up here instead of matching strings.
"""

from __future__ import annotations

# Calls whose result is raw pixels in [0, 255] (a dataset when the value is True).
RAW_SOURCES_KERAS = {
    "utils.image_dataset_from_directory": True,
    "preprocessing.image_dataset_from_directory": True,
    "utils.load_img": False,
    "preprocessing.image.load_img": False,
    "utils.img_to_array": False,
    "preprocessing.image.img_to_array": False,
}
RAW_SOURCES = {
    "tensorflow.io.decode_jpeg": False,
    "tensorflow.io.decode_png": False,
    "tensorflow.io.decode_image": False,
    "tensorflow.image.decode_jpeg": False,
    "tensorflow.image.decode_png": False,
    "tensorflow.image.decode_image": False,
    "cv2.imread": False,
    "PIL.Image.open": False,
    "imageio.imread": False,
    "imageio.v2.imread": False,
    "imageio.v3.imread": False,
}
# Random generators give raw pixels when their upper bound reaches pixel values.
RANDOM_SOURCES = {
    "tensorflow.random.uniform": ("maxval", 2),
    "numpy.random.uniform": ("high", 1),
    "numpy.random.randint": ("high", 1),
    "numpy.random.rand": None,
}
RAW_MIN_UPPER_BOUND = 200
# keras.datasets.<name>.load_data() returns ((x_train, y_train), (x_test, y_test)) of raw uint8 images.
IMAGE_DATASETS = {"mnist", "fashion_mnist", "cifar10", "cifar100"}

# Calls that return their first argument's pixels unchanged in value.
PASSTHROUGH = {
    "tensorflow.cast", "tensorflow.convert_to_tensor", "tensorflow.expand_dims", "tensorflow.identity",
    "tensorflow.squeeze", "tensorflow.reshape", "tensorflow.ensure_shape", "tensorflow.image.resize",
    "tensorflow.image.resize_with_pad", "tensorflow.image.resize_with_crop_or_pad",
    "tensorflow.image.central_crop", "tensorflow.image.crop_to_bounding_box", "tensorflow.image.flip_left_right",
    "tensorflow.image.flip_up_down", "tensorflow.image.grayscale_to_rgb", "tensorflow.stack",
    "tensorflow.concat", "numpy.asarray", "numpy.array", "numpy.expand_dims", "numpy.stack",
    "numpy.concatenate", "numpy.float32", "numpy.copy", "numpy.squeeze", "numpy.reshape",
    "cv2.resize", "cv2.cvtColor",
    # Progress bars iterate their argument unchanged.
    "tqdm.tqdm", "tqdm.auto.tqdm", "tqdm.notebook.tqdm", "tqdm.std.tqdm",
}
PASSTHROUGH_KERAS = {"ops.cast", "ops.convert_to_tensor", "ops.expand_dims", "ops.image.resize",
                     "backend.cast"}
# Methods on tensors/arrays/datasets that keep the pixel values.
PASSTHROUGH_METHODS = {
    "astype", "numpy", "reshape", "copy", "batch", "unbatch", "padded_batch", "prefetch", "shuffle",
    "cache", "repeat", "take", "skip", "with_options", "filter", "shard", "rebatch", "squeeze",
    # An iterator's next batch (a Keras DirectoryIterator's ``.next()``, tf.data's ``get_next``).
    "next", "__next__", "get_next",
}
# Calls that rescale to [0, 1].
UNIT_SCALERS = {"tensorflow.image.convert_image_dtype"}
# Calls that normalize to a statistic of the data itself (match no backbone mode).
NORMALIZERS = {"tensorflow.image.per_image_standardization"}

# Keras layers that keep pixel values (deterministic geometry, input declarations).
NEUTRAL_LAYERS = {"Resizing", "CenterCrop", "InputLayer", "Cropping2D", "ZeroPadding2D", "Reshape",
                  "Permute"}
# Model methods that feed data to the model (first argument or x=).
MODEL_FEEDING_METHODS = {"fit", "fit_generator", "evaluate", "evaluate_generator", "predict",
                         "predict_generator", "predict_on_batch", "train_on_batch", "test_on_batch",
                         "__call__", "call"}
# Keras runs a subclassed model's own step methods for these (``fit`` -> ``train_step``).
CUSTOM_STEP_METHODS = {"fit": "train_step", "fit_generator": "train_step", "train_on_batch": "train_step",
                       "evaluate": "test_step", "evaluate_generator": "test_step", "test_on_batch": "test_step",
                       "predict": "predict_step", "predict_on_batch": "predict_step"}
DATASET_MAP_METHODS = {"map", "flat_map"}
GENERATOR_FLOW_METHODS = {"flow", "flow_from_directory", "flow_from_dataframe"}
