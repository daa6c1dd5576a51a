# Negative: xception's preprocess_input is tf mode, like MobileNetV2's.
import tensorflow as tf
from tensorflow.keras.applications.xception import preprocess_input

ds = tf.keras.utils.image_dataset_from_directory("data").map(lambda x, y: (preprocess_input(x), y))
model = tf.keras.Sequential([
    tf.keras.Input((224, 224, 3)),
    tf.keras.applications.MobileNetV2(include_top=False, weights="imagenet"),
])
model.fit(ds)
