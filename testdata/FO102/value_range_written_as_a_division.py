# value_range written as a division, (0, 255 / 255): read as the number it is, (0, 1), which
# does not match the [-1, 1] data that preprocess_input made.
import keras
from keras import layers

inputs = keras.Input((224, 224, 3))
x = keras.applications.mobilenet_v2.preprocess_input(inputs)
x = layers.RandomBrightness(0.2, value_range=(0, 255 / 255))(x)
x = keras.applications.MobileNetV2(include_top=False)(x)
model = keras.Model(inputs, x)
