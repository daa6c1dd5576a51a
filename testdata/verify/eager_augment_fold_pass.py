"""The eager shape with the fold fix: one function augments, then preprocesses.

Expected: PASS.
"""
import numpy as np
import tensorflow as tf
import keras
from keras import layers
from keras.applications import mobilenet_v2

images = tf.cast(np.random.randint(0, 256, size=(4, 32, 32, 3)), tf.float32)

augment = keras.Sequential([
    layers.RandomFlip("horizontal"),
    layers.RandomRotation(0.1),
    layers.RandomBrightness(0.2),
])


def augment_and_preprocess(images, training=True):
    images = augment(images, training=training)
    return mobilenet_v2.preprocess_input(images)


base = keras.applications.MobileNetV2(include_top=False, alpha=0.35, input_shape=(32, 32, 3))
features = base(augment_and_preprocess(images))
print(features.shape)
