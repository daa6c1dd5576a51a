# (b) The same batch with mobilenet_v2.preprocess_input applied before the backbone: clean.
import tensorflow as tf
import keras
from keras import layers

images = tf.cast(tf.random.uniform((8, 224, 224, 3), maxval=256, dtype=tf.int32), tf.float32)
augment = keras.Sequential([
    layers.RandomFlip("horizontal"),
    layers.RandomRotation(0.1),
    layers.RandomBrightness(0.2),
])
base = keras.applications.MobileNetV2(include_top=False)
augmented = augment(images, training=True)
features = base(
    keras.applications.mobilenet_v2.preprocess_input(augmented)
)  # MobileNetV2 wants [-1, 1]; this is [0, 255]
