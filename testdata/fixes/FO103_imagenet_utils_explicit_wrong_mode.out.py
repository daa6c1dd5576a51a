# An explicit mode that is not the backbone's.
import keras
from keras.applications import imagenet_utils

inputs = keras.Input((224, 224, 3))
x = imagenet_utils.preprocess_input(inputs, mode="tf")
x = keras.applications.MobileNetV2(include_top=False, pooling="avg", weights="imagenet")(x)
model = keras.Model(inputs, x)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(keras.utils.image_dataset_from_directory("data", image_size=(224, 224)))
