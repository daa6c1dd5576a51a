# Negative: mobilenet_v2.preprocess_input gives the [-1, 1] MobileNetV3 expects without its Rescaling.
import tensorflow as tf
from tensorflow.keras.applications import mobilenet_v2

ds = tf.keras.utils.image_dataset_from_directory("data").map(lambda x, y: (mobilenet_v2.preprocess_input(x), y))
model = tf.keras.Sequential([
    tf.keras.Input((224, 224, 3)),
    tf.keras.applications.MobileNetV3Small(include_top=False, include_preprocessing=False),
])
model.fit(ds)
