# Negative: value_range states the data's real range.
import keras
from keras import layers
from keras.applications import mobilenet_v2

inputs = keras.Input((224, 224, 3))
x = mobilenet_v2.preprocess_input(inputs)
x = layers.RandomBrightness(0.2, value_range=(-1, 1))(x)
x = layers.RandomContrast(0.2, value_range=(-1.0, 1.0))(x)
x = mobilenet_v2.MobileNetV2(include_top=False, weights="imagenet")(x)
model = keras.Model(inputs, x)
model.fit(keras.utils.image_dataset_from_directory("data"))
