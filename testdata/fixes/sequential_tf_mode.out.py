# Sequential list: MobileNetV2 (tf mode) gets the exact built-in layer Rescaling(1 / 127.5, offset=-1).
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential(
    [
        keras.Input(shape=(224, 224, 3)),
        layers.RandomFlip("horizontal"),
        layers.RandomRotation(0.1),  # geometric only
        layers.Rescaling(1 / 127.5, offset=-1),
        keras.applications.MobileNetV2(include_top=False, weights="imagenet"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(2),
    ]
)
