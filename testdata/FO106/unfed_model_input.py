# Negative: a model input never fed data in this file may receive normalized images from
# elsewhere; with nothing in front of the backbone, FO106 stays silent (as FO101 does).
import keras

base = keras.applications.ConvNeXtTiny(include_top=False, include_preprocessing=False)
inputs = keras.Input((224, 224, 3))
model = keras.Model(inputs, base(inputs))
