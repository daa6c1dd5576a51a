# ConvNeXt without its built-in Normalization expects torch-normalized input.
import keras
from keras import layers

model = keras.Sequential([
    keras.Input((224, 224, 3)),
    layers.RandomFlip("horizontal"),
    keras.applications.ConvNeXtTiny(include_top=False, weights="imagenet", include_preprocessing=False),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(keras.utils.image_dataset_from_directory("data", image_size=(224, 224)))
