# (c) One function augments and then preprocesses; its output feeds the backbone: clean.
import tensorflow as tf
import keras
from keras import layers

images = tf.cast(tf.random.uniform((8, 224, 224, 3), maxval=256, dtype=tf.int32), tf.float32)
augment = keras.Sequential([
    layers.RandomFlip("horizontal"),
    layers.RandomRotation(0.1),
    layers.RandomBrightness(0.2),
])


def augment_and_preprocess(image):
    image = augment(image, training=True)
    return keras.applications.mobilenet_v2.preprocess_input(image)


base = keras.applications.MobileNetV2(include_top=False)
features = base(augment_and_preprocess(images))
