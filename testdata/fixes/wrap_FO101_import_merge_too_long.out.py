# The inserted layers join a from-import that is already close to the file's line length.
from tensorflow.keras.applications import MobileNetV2
from tensorflow.keras.layers import (
    Dense,
    Dropout,
    GlobalAveragePooling2D,
    RandomFlip,
    Rescaling,
)
from tensorflow.keras.models import Sequential
from tensorflow.keras.utils import image_dataset_from_directory

model = Sequential([
    RandomFlip("horizontal"),
    Rescaling(1 / 127.5, offset=-1),
    MobileNetV2(include_top=False, input_shape=(160, 160, 3)),
    GlobalAveragePooling2D(),
    Dropout(0.2),
    Dense(2),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(image_dataset_from_directory("data", image_size=(160, 160)))
