from tensorflow.keras.layers import *
from tensorflow.keras.models import Sequential
from tensorflow.keras.applications import Xception
from tensorflow.keras.utils import image_dataset_from_directory

net = Sequential([
    RandomFlip("horizontal"),
    Rescaling(1.0 / 127.5, offset=-1),
    Xception(include_top=False, weights="imagenet", input_shape=(256, 256, 3)),
    GlobalAveragePooling2D(),
    Dense(6),
])
net.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
net.fit(image_dataset_from_directory("shoes", image_size=(256, 256)))
