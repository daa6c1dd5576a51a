# Negative: ImageDataGenerator applies brightness_range and channel_shift_range before
# preprocessing_function, i.e. on raw pixels.
import tensorflow as tf
from tensorflow.keras.applications import mobilenet_v2
from tensorflow.keras.preprocessing.image import ImageDataGenerator

gen = ImageDataGenerator(brightness_range=(0.8, 1.2), channel_shift_range=20.0, preprocessing_function=mobilenet_v2.preprocess_input)
model = tf.keras.Sequential([tf.keras.Input((224, 224, 3)), mobilenet_v2.MobileNetV2(include_top=False)])
model.fit(gen.flow_from_directory("data"))
