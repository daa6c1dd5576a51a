# The file already uses the name preprocess_input for something else: the fix imports under an alias.
import numpy as np
from tensorflow.keras.applications import MobileNetV2
from tensorflow.keras.layers import RandomFlip
from tensorflow.keras.applications.mobilenet_v2 import (
    preprocess_input as mobilenet_v2_preprocess_input,
)


def preprocess_input(path):
    return np.load(path)


flip = RandomFlip()
batch = np.random.randint(0, 256, size=(2, 96, 96, 3)).astype("float32")
features = MobileNetV2(include_top=False, input_shape=(96, 96, 3))(
    mobilenet_v2_preprocess_input(flip(batch, training=True))
)
