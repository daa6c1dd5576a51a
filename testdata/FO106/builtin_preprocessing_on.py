# Negative: include_preprocessing=True (the default) with raw pixels.
import keras

model = keras.Sequential([
    keras.Input((224, 224, 3)),
    keras.applications.ConvNeXtTiny(include_top=False, include_preprocessing=True),
])
model.fit(keras.utils.image_dataset_from_directory("data"))
