# B5: EfficientNet rescales internally; Rescaling(1/255) in front makes its input nearly constant.
import keras
from keras import layers

model = keras.Sequential([
    keras.Input((224, 224, 3)),
    layers.RandomFlip("horizontal"),
    layers.Rescaling(1.0 / 255),
    keras.applications.EfficientNetB0(include_top=False, weights="imagenet"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(keras.utils.image_dataset_from_directory("data", image_size=(224, 224)))
