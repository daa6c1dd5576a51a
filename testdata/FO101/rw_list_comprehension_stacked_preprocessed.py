import glob

import numpy as np
import tensorflow as tf
from tensorflow.keras.preprocessing.image import img_to_array, load_img

paths = sorted(glob.glob("leaves/*.jpg"))
x = np.array([img_to_array(load_img(p, target_size=(224, 224))) for p in paths if p.endswith(".jpg")]) / 127.5 - 1.0
y = np.zeros(len(paths))

base = tf.keras.applications.MobileNetV2(weights="imagenet", include_top=False, pooling="avg")
model = tf.keras.Sequential([base, tf.keras.layers.Dense(4, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=2)
