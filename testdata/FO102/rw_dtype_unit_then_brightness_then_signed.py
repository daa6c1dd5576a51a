# FO102: /255 in the map and Rescaling(2, offset=-1) in the model compose to tf mode (right for MobileNetV2),
# but RandomBrightness between them sees [0, 1] data with its default value_range (0, 255).
import tensorflow as tf
from tensorflow.keras import layers


def scale(x, y):
    return tf.cast(x, tf.float32) / 255.0, y


ds = tf.keras.utils.image_dataset_from_directory("d").map(scale)
inputs = tf.keras.Input((224, 224, 3))
x = layers.RandomBrightness(0.2)(inputs)
x = layers.Rescaling(2.0, offset=-1.0)(x)
out = tf.keras.applications.MobileNetV2(include_top=False)(x)
m = tf.keras.Model(inputs, out)
m.fit(ds)
