# expected: FO101 (InceptionV3, tf mode, gets [0, 1] instead of [-1, 1]).  Today: clean, because OpenCV/NumPy per-image ops that keep the value range are not in the catalogue: cv2.GaussianBlur, cv2.flip (and cv2.warpAffine, cv2.inpaint, np.clip(x, 0, 255)) make the image unknown, so the later /255 is never judged; only cv2.resize and cv2.cvtColor pass through today.
import random

import cv2
import numpy as np
import tensorflow as tf
from tensorflow.keras.applications import InceptionV3


def prepare(path, training):
    frame = cv2.resize(cv2.imread(path), (299, 299))
    frame = cv2.GaussianBlur(frame, (5, 5), 0)
    if training and random.random() < 0.5:
        frame = cv2.flip(frame, 1)
    frame = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
    return frame.astype(np.float32) / 255.0


x = np.expand_dims(prepare("lesions/a.jpg", training=True), axis=0)
backbone = InceptionV3(weights="imagenet", include_top=False, pooling="avg", input_shape=(299, 299, 3))
classifier = tf.keras.Sequential([backbone, tf.keras.layers.Dense(2, activation="softmax")])
classifier.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
classifier.fit(x, np.array([1]), epochs=1)
