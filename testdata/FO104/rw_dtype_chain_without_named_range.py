# FO104: x / 255, a flip, then Rescaling(1/127.5, offset=-1): the composed map is no named range, so the steps
# are judged one by one, and the /255 on top of tf mode is double scaling.
import tensorflow as tf
from tensorflow.keras import layers
inputs = tf.keras.Input((224, 224, 3))
x = layers.Rescaling(1 / 255)(inputs)
x = layers.RandomFlip()(x)
x = layers.Rescaling(1 / 127.5, offset=-1)(x)
out = tf.keras.applications.MobileNetV2(include_top=False)(x)
m = tf.keras.Model(inputs, out)
m.fit(tf.keras.utils.image_dataset_from_directory("d"))
