"""Lists a data folder that is not here (class folders, then their images), reads each image with
OpenCV and divides by 255 for MobileNetV2.  Expected: FAIL ([0, 1] into [-1, 1]), on generated images."""
import os

import cv2
import numpy as np
from tensorflow import keras

DATA_DIR = "/datasets/leaves/train"
classes = sorted(os.listdir(DATA_DIR))
images, labels = [], []
for index, name in enumerate(classes):
    for file_name in os.listdir(os.path.join(DATA_DIR, name)):
        pixels = cv2.imread(os.path.join(DATA_DIR, name, file_name))
        pixels = cv2.cvtColor(cv2.resize(pixels, (48, 48)), cv2.COLOR_BGR2RGB)
        images.append(pixels)
        labels.append(index)
x = np.array(images, dtype="float32") / 255.0
y = keras.utils.to_categorical(labels, len(classes))

base = keras.applications.MobileNetV2(include_top=False, alpha=0.35, input_shape=(48, 48, 3))
model = keras.Sequential([base, keras.layers.GlobalAveragePooling2D(),
                          keras.layers.Dense(len(classes), activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(x, y, epochs=5, batch_size=4)
