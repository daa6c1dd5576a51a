# Rescaling(1/127.5, offset=-1) then Rescaling(0.5, offset=0.5) is x / 255: NASNetMobile gets [0, 1], not [-1, 1].
from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(224, 224, 3))
x = layers.RandomRotation(0.1)(inputs)
x = layers.Rescaling(1.0 / 127.5, offset=-1.0)(x)
x = layers.Rescaling(0.5, offset=0.5)(x)
features = keras.applications.NASNetMobile(include_top=False, weights="imagenet")(x)
model = keras.Model(inputs, layers.Dense(10)(layers.GlobalAveragePooling2D()(features)))
model.fit(keras.utils.image_dataset_from_directory("flowers", image_size=(224, 224)))
