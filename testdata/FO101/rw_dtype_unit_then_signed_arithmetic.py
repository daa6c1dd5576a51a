# Clean: x / 255 in the loader, then x * 2 - 1 after the flip: together that is x / 127.5 - 1, tf mode,
# which InceptionV3 expects.
import tensorflow as tf


def load(path, label):
    img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
    img = tf.cast(tf.image.resize(img, (299, 299)), tf.float32) / 255.0
    return img, label


def jitter(img, label):
    img = tf.image.random_flip_left_right(img)
    return img * 2.0 - 1.0, label


paths = tf.data.Dataset.from_tensor_slices((["a.jpg", "b.jpg"], [0, 1]))
ds = paths.map(load).map(jitter).batch(2)
trunk = tf.keras.applications.InceptionV3(include_top=False, weights="imagenet", input_shape=(299, 299, 3))
clf = tf.keras.Sequential([trunk, tf.keras.layers.GlobalAveragePooling2D(), tf.keras.layers.Dense(2)])
clf.fit(ds)
