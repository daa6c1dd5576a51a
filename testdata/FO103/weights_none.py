# Negative: no pretrained weights, no input contract.
import tensorflow as tf
from tensorflow.keras.applications.resnet50 import preprocess_input

ds = tf.keras.utils.image_dataset_from_directory("data").map(lambda x, y: (preprocess_input(x), y))
model = tf.keras.Sequential([
    tf.keras.Input((224, 224, 3)),
    tf.keras.applications.MobileNetV2(include_top=False, weights=None),
])
model.fit(ds)
