# tf.data: the map function augments and then applies vgg16.preprocess_input: clean.
import tensorflow as tf
from tensorflow.keras.applications import VGG16
from tensorflow.keras.applications.vgg16 import preprocess_input


def augment_fn(image, label):
    image = tf.image.random_flip_left_right(image)
    image = tf.image.random_brightness(image, max_delta=32.0)
    return preprocess_input(image), label


ds = tf.keras.utils.image_dataset_from_directory("data/train", image_size=(224, 224))
ds = ds.map(augment_fn, num_parallel_calls=tf.data.AUTOTUNE)

inputs = tf.keras.Input(shape=(224, 224, 3))
features = VGG16(include_top=False, weights="imagenet")(inputs)
model = tf.keras.Model(inputs, tf.keras.layers.Dense(3)(tf.keras.layers.Flatten()(features)))
model.fit(ds, epochs=2)
