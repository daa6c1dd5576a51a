# Negative: preprocess_input once, no scaling.
import tensorflow as tf
from tensorflow.keras.applications import mobilenet_v2

train = tf.keras.utils.image_dataset_from_directory("data")
train = train.map(lambda x, y: (mobilenet_v2.preprocess_input(x), y))
model = tf.keras.Sequential([
    tf.keras.Input((224, 224, 3)),
    mobilenet_v2.MobileNetV2(include_top=False, weights="imagenet"),
])
model.fit(train)
