# Negative: a backbone trained from scratch has no pretrained input contract.
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([
    keras.Input((224, 224, 3)),
    layers.Rescaling(1 / 127.5, offset=-1),
    layers.RandomContrast(0.2),
    keras.applications.MobileNetV2(include_top=False, weights=None),
])
model.fit(keras.utils.image_dataset_from_directory("data"))
