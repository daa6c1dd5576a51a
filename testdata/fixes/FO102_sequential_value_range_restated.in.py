# RandomBrightness states the [-1, 1] range correctly, RandomContrast does not.  Moving the
# preprocessing after both means RandomBrightness sees raw pixels: its value_range follows.
import keras
from keras import layers

model = keras.Sequential([
    keras.Input((224, 224, 3)),
    layers.Rescaling(1 / 127.5, offset=-1),
    layers.RandomBrightness(0.2, value_range=(-1, 1)),
    layers.RandomContrast(0.2),
    keras.applications.Xception(include_top=False, pooling="avg", weights="imagenet"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(keras.utils.image_dataset_from_directory("data", image_size=(224, 224)))
