import cv2
import numpy as np
import tensorflow as tf
from tensorflow.keras.applications import resnet_v2


def read_all(files):
    x = np.empty((len(files), 224, 224, 3), dtype=np.uint8)
    for i, f in enumerate(files):
        x[i] = cv2.resize(cv2.imread(f), (224, 224))
    return x


x_train = read_all(["cells/0.png", "cells/1.png"])
x_train = resnet_v2.preprocess_input(x_train)
base = resnet_v2.ResNet50V2(weights="imagenet", include_top=False, pooling="avg")
model = tf.keras.Sequential([base, tf.keras.layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, np.array([0, 1]), epochs=1)
