# An unfed model input that is augmented is raw pixels (augmentation defaults assume them).
import keras
from keras import layers

model = keras.Sequential([
    keras.Input((224, 224, 3)),
    layers.RandomFlip("horizontal"),
    keras.applications.ConvNeXtTiny(include_top=False, include_preprocessing=False),
])
