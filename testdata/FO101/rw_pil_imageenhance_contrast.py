import random

import numpy as np
import tensorflow as tf
from PIL import Image, ImageEnhance


def augment(path):
    image = Image.open(path)
    image = ImageEnhance.Contrast(image).enhance(random.uniform(0.8, 1.2))
    image = ImageEnhance.Sharpness(image).enhance(1.5)
    return np.array(image, dtype=np.float32)


batch = np.expand_dims(augment("xray/p1.png"), axis=0)
base = tf.keras.applications.InceptionV3(weights="imagenet", include_top=False, pooling="avg")
head = tf.keras.layers.Dense(2, activation="softmax")(base.output)
model = tf.keras.Model(base.input, head)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(batch, np.array([1]), epochs=1)
