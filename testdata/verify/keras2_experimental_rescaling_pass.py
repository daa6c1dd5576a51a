"""Keras 2 only (tensorflow.keras.layers.experimental.preprocessing): verified under tf_keras.
Rescaling(1/127.5, offset=-1) maps raw pixels to [-1, 1], what MobileNetV2 expects.  Expected: PASS."""
import tensorflow as tf
from tensorflow.keras.layers.experimental.preprocessing import Rescaling

inputs = tf.keras.Input(shape=(32, 32, 3))
x = Rescaling(1.0 / 127.5, offset=-1)(inputs)
base = tf.keras.applications.MobileNetV2(include_top=False, input_shape=(32, 32, 3), alpha=0.35)
x = tf.keras.layers.GlobalAveragePooling2D()(base(x))
model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(x))
