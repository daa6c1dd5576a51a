# Clean: Rescaling(1/255), a flip, then Rescaling(2, offset=-1) on [0, 1] data compose to x / 127.5 - 1,
# the tf mode MobileNet expects.
from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(224, 224, 3))
x = layers.Rescaling(1.0 / 255)(inputs)
x = layers.RandomFlip("horizontal")(x)
x = layers.Rescaling(2.0, offset=-1.0)(x)
features = keras.applications.MobileNet(include_top=False, weights="imagenet")(x)
model = keras.Model(inputs, layers.Dense(10)(layers.GlobalAveragePooling2D()(features)))
model.fit(keras.utils.image_dataset_from_directory("flowers", image_size=(224, 224)))
