# tf.data: a def with tf.image.random_* ops in .map; the backbone is VGG16 (caffe mode) inside a Functional model.
import tensorflow as tf
from tensorflow.keras.applications import VGG16


def augment_fn(image, label):
    image = tf.image.random_flip_left_right(image)
    image = tf.image.random_brightness(image, max_delta=32.0)
    return image, label


ds = tf.keras.utils.image_dataset_from_directory("data/train", image_size=(224, 224))
ds = ds.map(augment_fn, num_parallel_calls=tf.data.AUTOTUNE)

inputs = tf.keras.Input(shape=(224, 224, 3))
features = VGG16(include_top=False, weights="imagenet")(inputs)
model = tf.keras.Model(inputs, tf.keras.layers.Dense(3)(tf.keras.layers.Flatten()(features)))
model.fit(ds, epochs=2)
