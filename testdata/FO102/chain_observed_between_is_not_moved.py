# The chain in build() reads x between the preprocessing and the augmentation (skip = x):
# moving the preprocessing would change skip, so the fix is only shown.  In aug() the
# argument-less RandomColorJitter does nothing; the one with a brightness factor is reported.
import keras
from keras import layers
from keras.applications import mobilenet_v2

def build():
    inputs = keras.Input((224, 224, 3))
    x = mobilenet_v2.preprocess_input(inputs)
    skip = x
    x = layers.RandomBrightness(0.1)(x)
    return keras.Model(inputs, mobilenet_v2.MobileNetV2(include_top=False)(x + skip))

def aug(x):
    x = mobilenet_v2.preprocess_input(x)
    x = layers.RandomColorJitter()(x)
    x = layers.RandomColorJitter(brightness_factor=0.2)(x)
    return mobilenet_v2.MobileNetV2(include_top=False)(x)
