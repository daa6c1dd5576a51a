# Clean: convert_image_dtype scales the uint8 decode to [0, 1], and Rescaling(255) in the model undoes it,
# so ConvNeXtTiny gets raw 0..255 pixels as it wants.
import tensorflow as tf
from tensorflow import keras


def decode(path, label):
    img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
    return tf.image.convert_image_dtype(img, tf.float32), label


files = tf.data.Dataset.list_files("photos/*.jpg")
base = keras.applications.ConvNeXtTiny(include_top=False, weights="imagenet", input_shape=(224, 224, 3))
model = keras.Sequential([
    keras.Input((224, 224, 3)),
    keras.layers.Rescaling(255.0),
    keras.layers.RandomFlip("horizontal"),
    base,
    keras.layers.GlobalAveragePooling2D(),
    keras.layers.Dense(4),
])
model.fit(files.map(lambda p: decode(p, 0)).batch(8))
