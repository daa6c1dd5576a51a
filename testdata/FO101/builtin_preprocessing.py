# EfficientNet, ConvNeXt and MobileNetV3 normalize inside the model and want raw pixels: no finding.
import keras
from keras import layers

augment = keras.Sequential([layers.RandomFlip(), layers.RandomContrast(0.1)])
inputs = keras.Input(shape=(224, 224, 3))
x = augment(inputs)
a = keras.applications.EfficientNetB0(include_top=False)(x)
b = keras.applications.ConvNeXtTiny(include_top=False)(x)
c = keras.applications.MobileNetV3Small(include_top=False)(x)
