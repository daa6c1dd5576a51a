"""Writes relative paths only: they land in verify's temporary working directory, which is
allowed.  Expected: PASS (the backbone gets its own preprocess_input)."""
import os

import keras
import numpy as np

os.makedirs("checkpoints", exist_ok=True)
with open("checkpoints/notes.txt", "w") as fh:
    fh.write("relative writes are fine\n")
base = keras.applications.MobileNetV2(include_top=False, alpha=0.35, input_shape=(32, 32, 3))
images = np.random.uniform(0, 255, size=(2, 32, 32, 3)).astype("float32")
base(keras.applications.mobilenet_v2.preprocess_input(images))
