"""Eager shape from the core issue: an augmented raw batch goes straight into MobileNetV2.

Expected: FAIL, the backbone receives about [0, 255] but expects [-1, 1].
"""
import numpy as np
import tensorflow as tf
import keras
from keras import layers

images = tf.cast(np.random.randint(0, 256, size=(4, 32, 32, 3)), tf.float32)

augment = keras.Sequential([
    layers.RandomFlip("horizontal"),
    layers.RandomRotation(0.1),
    layers.RandomBrightness(0.2),
])

base = keras.applications.MobileNetV2(include_top=False, alpha=0.35, input_shape=(32, 32, 3))
features = base(augment(images, training=True))
print(features.shape)
