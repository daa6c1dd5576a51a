# Preprocessing before the augmentation, in a list filled onto aligned lines.
import keras
from keras import layers

model = keras.Sequential([keras.Input((224, 224, 3)), layers.Rescaling(1 / 127.5, offset=-1),
                          layers.RandomContrast(0.2), layers.RandomRotation(0.1, fill_mode="nearest"),
                          keras.applications.Xception(include_top=False, weights="imagenet", pooling="avg")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(keras.utils.image_dataset_from_directory("data", image_size=(224, 224)))
