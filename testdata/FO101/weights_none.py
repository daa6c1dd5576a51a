# A backbone trained from scratch (weights=None) has no pretrained input contract: no finding.
import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(96, 96, 3)),
    layers.RandomFlip(),
    keras.applications.MobileNetV2(include_top=True, weights=None, classes=10),
])
