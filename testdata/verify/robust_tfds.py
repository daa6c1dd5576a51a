"""Loads its data with tensorflow_datasets.  Expected: UNVERIFIED (a data source verify cannot replace)."""
import tensorflow as tf
import tensorflow_datasets as tfds

base = tf.keras.applications.MobileNetV2(include_top=False, alpha=0.35, input_shape=(32, 32, 3))
train, info = tfds.load("cats_vs_dogs", split=tfds.Split.TRAIN, with_info=True, as_supervised=True)
