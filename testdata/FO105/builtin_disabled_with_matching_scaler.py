# Negative: with include_preprocessing=False MobileNetV3 expects [-1, 1], which the Rescaling supplies.
import keras
from keras import layers

model = keras.Sequential([
    keras.Input((224, 224, 3)),
    layers.Rescaling(1 / 127.5, offset=-1),
    keras.applications.MobileNetV3Large(include_top=False, include_preprocessing=False),
])
model.fit(keras.utils.image_dataset_from_directory("data"))
