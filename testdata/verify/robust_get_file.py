"""Downloads its data with get_file.  Expected: UNVERIFIED (download refused)."""
import tensorflow as tf

base = tf.keras.applications.MobileNetV2(include_top=False, alpha=0.35, input_shape=(32, 32, 3))
path = tf.keras.utils.get_file(
    "flower_photos", origin="https://storage.googleapis.com/download.tensorflow.org/example_images/flower_photos.tgz",
    untar=True)
ds = tf.keras.utils.image_dataset_from_directory(path, image_size=(32, 32))
