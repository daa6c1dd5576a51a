# Negative: a user function called preprocess_input that only resizes is not Keras' function.
import tensorflow as tf
from tensorflow.keras.applications import mobilenet_v2


def preprocess_input(image):
    return tf.image.resize(image, (224, 224))


ds = tf.keras.utils.image_dataset_from_directory("data").map(lambda x, y: (preprocess_input(x), y))
model = tf.keras.Sequential([
    tf.keras.Input((224, 224, 3)),
    tf.keras.layers.RandomContrast(0.2),
    tf.keras.layers.Lambda(mobilenet_v2.preprocess_input),
    mobilenet_v2.MobileNetV2(include_top=False, weights="imagenet"),
])
model.fit(ds)
