# expected: FO101 (ResNet50, caffe mode, is trained on raw RGB 0-255 pixels: nothing subtracts the ImageNet mean or swaps to BGR).  Today: clean, because the images are read one at a time, appended to a Python list in a loop and stacked with np.array(list): a list of image values is not modelled, so the stacked array is unknown (np.stack / np.concatenate of the list and a list comprehension lose it the same way).
import cv2
import numpy as np
import tensorflow as tf
from tensorflow.keras.applications import ResNet50


def read_folder(paths):
    pictures = []
    for path in paths:
        rgb = cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2RGB)
        pictures.append(cv2.resize(rgb, (224, 224)))
    return np.array(pictures, dtype="float32")


x_train = read_folder(["shelf/0001.png", "shelf/0002.png"])
y_train = np.array([0, 1])
backbone = ResNet50(weights="imagenet", include_top=False, pooling="avg", input_shape=(224, 224, 3))
classifier = tf.keras.Sequential([backbone, tf.keras.layers.Dense(2, activation="softmax")])
classifier.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
classifier.fit(x_train, y_train, epochs=2)
