# Clean: tf.cond mirrors at random, then inception_v3.preprocess_input scales to [-1, 1].
import tensorflow as tf
from tensorflow.keras.applications import inception_v3


def mirror(img):
    return tf.cond(tf.random.uniform(()) < 0.5, lambda: tf.image.flip_left_right(img), lambda: img)


def prep(img, label):
    return inception_v3.preprocess_input(mirror(img)), label


ds = tf.keras.utils.image_dataset_from_directory("birds", image_size=(299, 299)).map(prep)
model = tf.keras.Sequential([inception_v3.InceptionV3(include_top=False, pooling="avg"), tf.keras.layers.Dense(20)])
model.fit(ds)
