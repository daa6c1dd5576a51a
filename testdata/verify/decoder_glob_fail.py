"""A tf.data pipeline over a file list: glob of a directory that is not there, read_file +
decode_jpeg + resize in a map, no preprocessing.  verify's glob matches generated images, the
decoder yields uint8 pixels.  Expected: FAIL (raw 0..255 into MobileNetV2)."""
import glob
import tensorflow as tf
import keras

paths = sorted(glob.glob("/data/flowers/*/*.jpg"))
labels = [0 if "a" in p else 1 for p in paths]


def load(path, label):
    image = tf.io.read_file(path)
    image = tf.image.decode_jpeg(image, channels=3)
    image = tf.image.resize(image, (32, 32))
    return image, label


ds = tf.data.Dataset.from_tensor_slices((paths, labels)).map(load).batch(4)
base = keras.applications.MobileNetV2(include_top=False, input_shape=(32, 32, 3), alpha=0.35)
model = keras.Sequential([base, keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(2)])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(ds, epochs=2)
