"""Rescaling(1/255) in front of EfficientNetB0, which expects raw [0, 255].  Expected: FAIL."""
import numpy as np
import keras
from keras import layers

base = keras.applications.EfficientNetB0(include_top=False, input_shape=(32, 32, 3))
model = keras.Sequential([keras.Input(shape=(32, 32, 3)), layers.Rescaling(1.0 / 255), base,
                          layers.GlobalAveragePooling2D(), layers.Dense(2)])
model.predict(np.random.randint(0, 256, size=(4, 32, 32, 3)).astype("float32"))
