# MobileNetV3 already maps [0, 255] to [-1, 1] inside (include_preprocessing=True by default).
import keras
from keras import layers

inputs = keras.Input((224, 224, 3))
x = keras.applications.MobileNetV3Small(include_top=False, pooling="avg", weights="imagenet")(
    inputs
)
model = keras.Model(inputs, x)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(keras.utils.image_dataset_from_directory("data", image_size=(224, 224)))
