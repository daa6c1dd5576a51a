# Negative: imagenet_utils with the backbone's mode.
import keras
from keras.applications import imagenet_utils

inputs = keras.Input((224, 224, 3))
x = imagenet_utils.preprocess_input(inputs, mode="tf")
x = keras.applications.MobileNetV2(include_top=False, weights="imagenet")(x)
keras.Model(inputs, x).fit(keras.utils.image_dataset_from_directory("data"))
