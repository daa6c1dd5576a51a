# mobilenet_v3.preprocess_input is an identity: MobileNetV2 gets raw pixels.
import keras
from keras.applications import mobilenet_v3

inputs = keras.Input((224, 224, 3))
x = mobilenet_v3.preprocess_input(inputs)
x = keras.applications.MobileNetV2(include_top=False, weights="imagenet")(x)
keras.Model(inputs, x).fit(keras.utils.image_dataset_from_directory("data"))
