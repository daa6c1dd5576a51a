# Visual style: the inserted preprocess_input wraps with the aligned arguments.
import tensorflow as tf
from tensorflow.keras.applications.mobilenet_v2 import MobileNetV2

augment = tf.keras.Sequential([tf.keras.layers.RandomFlip("horizontal"),
                               tf.keras.layers.RandomRotation(0.1)])
base_model = MobileNetV2(weights="imagenet", include_top=False, input_shape=(160, 160, 3))
inputs = tf.keras.Input(shape=(160, 160, 3))
features = base_model(
    tf.keras.applications.mobilenet_v2.preprocess_input(augment(inputs, training=True)),
    training=False)
outputs = tf.keras.layers.Dense(2)(tf.keras.layers.GlobalAveragePooling2D()(features))
model = tf.keras.Model(inputs, outputs)
