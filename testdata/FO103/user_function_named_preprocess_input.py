# Negative: the file's own preprocess_input scales to [-1, 1], which is what MobileNetV2 wants.
import tensorflow as tf


def preprocess_input(image):
    return image / 127.5 - 1.0


ds = tf.keras.utils.image_dataset_from_directory("data").map(lambda x, y: (preprocess_input(x), y))
model = tf.keras.Sequential([
    tf.keras.Input((224, 224, 3)),
    tf.keras.applications.MobileNetV2(include_top=False, weights="imagenet"),
])
model.fit(ds)
