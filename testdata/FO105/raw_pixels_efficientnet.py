# Negative: raw pixels straight into EfficientNet, as the keras.io example does.
import keras

inputs = keras.Input((224, 224, 3))
x = keras.layers.RandomFlip()(inputs)
outputs = keras.applications.EfficientNetB0(include_top=False, weights="imagenet")(x)
keras.Model(inputs, outputs).fit(keras.utils.image_dataset_from_directory("data"))
