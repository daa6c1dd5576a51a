"""How Keras, TensorFlow and NumPy calls change an image's value range, as data.

Names are canonical: Keras names relative to the Keras package (see analysis/names.py),
other names fully qualified.  The analysis looks calls up here instead of matching strings.
"""

from __future__ import annotations

# Calls whose result is raw pixels in [0, 255]: (a dataset?, the element dtype).
RAW_SOURCES_KERAS = {
    # image_dataset_from_directory resizes (by default) and yields float32 0..255.
    "utils.image_dataset_from_directory": (True, "float32"),
    "preprocessing.image_dataset_from_directory": (True, "float32"),
    "utils.load_img": (False, "uint8"),  # a PIL image of uint8 pixels
    "preprocessing.image.load_img": (False, "uint8"),
    "utils.img_to_array": (False, "float32"),
    "preprocessing.image.img_to_array": (False, "float32"),
}
RAW_SOURCES = {
    "tensorflow.io.decode_jpeg": (False, "uint8"),
    "tensorflow.io.decode_png": (False, "uint8"),
    "tensorflow.io.decode_image": (False, "uint8"),
    "tensorflow.image.decode_jpeg": (False, "uint8"),
    "tensorflow.image.decode_png": (False, "uint8"),
    "tensorflow.image.decode_image": (False, "uint8"),
    "cv2.imread": (False, "uint8"),
    "PIL.Image.open": (False, "uint8"),
    "imageio.imread": (False, "uint8"),
    "imageio.v2.imread": (False, "uint8"),
    "imageio.v3.imread": (False, "uint8"),
}
# Decoders: inside a map over opaque elements (file names, records), they restart the flow as
# raw pixels.
DECODERS = {"tensorflow.io.decode_jpeg", "tensorflow.io.decode_png", "tensorflow.io.decode_image",
            "tensorflow.image.decode_jpeg", "tensorflow.image.decode_png", "tensorflow.image.decode_image"}
# ImageDataGenerator iterators yield float32 batches (their dtype argument's default).
GENERATOR_DTYPE = "float32"
# keras.datasets and NumPy random integers are integer arrays; tf.random.uniform is float32.
DATASET_DTYPE = "uint8"
RANDOM_DTYPES = {"tensorflow.random.uniform": "float32", "numpy.random.uniform": "float64",
                 "numpy.random.randint": "int64", "numpy.random.rand": "float64"}
# Keras model inputs (Input, Sequential, subclassed models) are float32 by default: Keras casts
# whatever is fed to them.
MODEL_INPUT_DTYPE = "float32"

# dtypes: integer ones with the largest value (convert_image_dtype scales an integer image by
# 1 / max), and floating ones (convert_image_dtype only casts them).
INTEGER_DTYPES = {"uint8": 255, "int8": 127, "uint16": 65535, "int16": 32767, "int32": 2**31 - 1,
                  "uint32": 2**32 - 1, "int64": 2**63 - 1}
FLOAT_DTYPES = {"float16", "bfloat16", "float32", "float64", "half", "double", "float"}
# Calls that change the dtype but keep the values: the dtype they return, or where the dtype
# argument is (position, keyword; without it the dtype is kept).
DTYPE_FIXED = {
    "tensorflow.image.resize": "float32", "tensorflow.image.resize_with_pad": "float32",
    "keras:ops.image.resize": "float32", "numpy.float32": "float32",
}
DTYPE_ARGUMENT = {
    "tensorflow.cast": (1, "dtype"), "keras:ops.cast": (1, "dtype"), "keras:backend.cast": (1, "dtype"),
    "tensorflow.convert_to_tensor": (1, "dtype"), "numpy.asarray": (1, "dtype"), "numpy.array": (1, "dtype"),
}
DTYPE_ARGUMENT_METHODS = {"astype": (0, "dtype")}
# Casts to an integer dtype (``np.uint8(x)``): values kept from an integer image of no larger
# type (``Image.fromarray(np.uint8(load_img(p)))``), an unknown step on anything else (a float
# image is truncated).
INTEGER_CASTS = {"numpy.uint8": "uint8"}
# Calls that convert an image's dtype *and* rescale by the dtypes' maxima.
DTYPE_CONVERTERS = {"tensorflow.image.convert_image_dtype": (1, "dtype")}
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

# Calls that stack a list of images (or of batches) into one array: their first argument may be
# a list whose elements all carry one image flow (analysis/containers.py), which they keep.
STACKING = {"numpy.array", "numpy.asarray", "numpy.stack", "numpy.concatenate", "tensorflow.stack",
            "tensorflow.concat", "tensorflow.convert_to_tensor"}
# Preallocated arrays (``np.zeros((n, h, w, 3))``): no image until images are written into them
# by index.  Where the dtype argument is (position, keyword), and NumPy's default dtype.
EMPTY_ARRAYS = {"numpy.zeros": (1, "dtype"), "numpy.empty": (1, "dtype")}
EMPTY_ARRAY_DTYPE = "float64"
# Video readers: ``ok, frame = cv2.VideoCapture(path).read()`` gives raw 0..255 frames (BGR uint8,
# as cv2.imread).  The constructor, the methods that return (ok, frame), the frame dtype.
VIDEO_SOURCES = {"cv2.VideoCapture": (("read", "retrieve"), "uint8")}
# PIL's photometric enhancers: ``ImageEnhance.Brightness(img).enhance(factor)`` blends the image
# with a degenerate copy and returns a uint8 image clipped to 0..255, so an augmentation that
# keeps the range (like random_brightness).  The method that applies it, and its result dtype.
PIL_ENHANCERS = {"PIL.ImageEnhance.Brightness", "PIL.ImageEnhance.Contrast", "PIL.ImageEnhance.Color",
                 "PIL.ImageEnhance.Sharpness"}
PIL_ENHANCE_METHOD = "enhance"
PIL_ENHANCED_DTYPE = "uint8"

# Calls that return their first argument's pixels unchanged in value.
PASSTHROUGH = {
    "tensorflow.cast", "tensorflow.convert_to_tensor", "tensorflow.expand_dims", "tensorflow.identity",
    "tensorflow.squeeze", "tensorflow.reshape", "tensorflow.ensure_shape", "tensorflow.image.resize",
    "tensorflow.image.resize_with_pad", "tensorflow.image.resize_with_crop_or_pad",
    "tensorflow.image.central_crop", "tensorflow.image.crop_to_bounding_box", "tensorflow.image.flip_left_right",
    "tensorflow.image.flip_up_down", "tensorflow.image.grayscale_to_rgb", "tensorflow.stack",
    "tensorflow.concat", "tensorflow.reverse", "tensorflow.image.transpose", "numpy.asarray", "numpy.array",
    "numpy.expand_dims", "numpy.stack", "numpy.concatenate", "numpy.fliplr", "numpy.flipud", "numpy.float32",
    "numpy.copy", "numpy.squeeze", "numpy.reshape",
    "cv2.resize", "cv2.cvtColor",
    # OpenCV geometric and smoothing ops: each output pixel is an input pixel, a weighted mean of
    # input pixels, or the border value 0, so the value range is kept.
    "cv2.flip", "cv2.rotate", "cv2.transpose", "cv2.GaussianBlur", "cv2.blur", "cv2.medianBlur",
    "cv2.warpAffine", "cv2.warpPerspective",
    # A PIL image of an array's pixels (and back through numpy.asarray / numpy.array).
    "PIL.Image.fromarray",
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
# Calls that normalize to a statistic of the data itself (match no backbone mode): a full z-score
# (zero mean, unit standard deviation) over what the value says.
ZSCORE_FUNCTIONS = {"tensorflow.image.per_image_standardization": "each image"}
# ImageDataGenerator arguments that together z-score the data (center, then divide by the std).
ZSCORE_GENERATOR_ARGS = {
    ("samplewise_center", "samplewise_std_normalization"): "each image",
    ("featurewise_center", "featurewise_std_normalization"): "the training data",
}
# ImageDataGenerator arguments that use statistics computed by gen.fit(x): without a fit() they
# do nothing (Keras only warns).
FITTED_GENERATOR_ARGS = {"featurewise_center", "featurewise_std_normalization", "zca_whitening"}

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
DATASET_MAP_METHODS = {"map"}
# Dataset methods whose function returns a dataset per element.
DATASET_NESTING_METHODS = {"flat_map", "interleave", "parallel_interleave"}
# Datasets of serialized records (not images until decoded).
RECORD_DATASETS = {"tensorflow.data.TFRecordDataset", "tensorflow.data.TextLineDataset",
                   "tensorflow.data.FixedLengthRecordDataset"}
GENERATOR_FLOW_METHODS = {"flow", "flow_from_directory", "flow_from_dataframe"}

# Calls that run a function on the tensors listed in their second argument (fn, inp, Tout).
FUNCTION_WRAPPERS = {"tensorflow.py_function", "tensorflow.numpy_function", "tensorflow.compat.v1.py_func",
                     "tensorflow.py_func"}
# tf.distribute strategy constructors (and get_strategy): their run() applies a function to data.
DISTRIBUTION_STRATEGIES = {
    "tensorflow.distribute.MirroredStrategy", "tensorflow.distribute.MultiWorkerMirroredStrategy",
    "tensorflow.distribute.TPUStrategy", "tensorflow.distribute.OneDeviceStrategy",
    "tensorflow.distribute.get_strategy", "tensorflow.distribute.experimental.TPUStrategy",
    "tensorflow.distribute.experimental.MultiWorkerMirroredStrategy",
    "tensorflow.distribute.experimental.CentralStorageStrategy",
    "tensorflow.distribute.experimental.ParameterServerStrategy",
}
