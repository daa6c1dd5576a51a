# Negative: geometric augmentation after preprocessing does not depend on the value range.
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([
    keras.Input((224, 224, 3)),
    layers.Rescaling(1 / 127.5, offset=-1),
    layers.RandomFlip("horizontal"),
    layers.RandomRotation(0.1),
    layers.RandomZoom(0.2),
    keras.applications.MobileNetV2(include_top=False, weights="imagenet"),
])
model.fit(keras.utils.image_dataset_from_directory("data/train"))
