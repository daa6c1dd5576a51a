# imagenet_utils.preprocess_input defaults to caffe mode; InceptionV3 wants [-1, 1].
import keras
from keras.applications import imagenet_utils

inputs = keras.Input((299, 299, 3))
x = imagenet_utils.preprocess_input(inputs, mode="tf")
x = keras.applications.InceptionV3(include_top=False, weights="imagenet")(x)
model = keras.Model(inputs, x)
model.fit(keras.utils.image_dataset_from_directory("data"))
