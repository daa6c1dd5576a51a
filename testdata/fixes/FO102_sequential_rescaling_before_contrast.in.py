# Rescaling(1/127.5, offset=-1) is MobileNetV2's preprocessing, but it runs before
# RandomContrast, which clips every negative value to 0.
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([
    keras.Input((224, 224, 3)),
    layers.Rescaling(1 / 127.5, offset=-1),
    layers.RandomFlip("horizontal"),
    layers.RandomContrast(0.2),
    keras.applications.MobileNetV2(include_top=False, weights="imagenet"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(keras.utils.image_dataset_from_directory("data/train", image_size=(224, 224)))
