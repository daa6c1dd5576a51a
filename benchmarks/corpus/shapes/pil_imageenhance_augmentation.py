# expected: FO101 (DenseNet121, torch mode, gets [0, 1] pixels: /255 without the ImageNet mean/std).  Today: clean, because the augmentation goes through PIL: Image.fromarray(...) and ImageEnhance.Brightness(...).enhance(...) are not modelled, so the image is unknown by the time it is divided by 255.
import random

import numpy as np
import tensorflow as tf
from PIL import Image, ImageEnhance
from tensorflow.keras.applications import DenseNet121
from tensorflow.keras.utils import load_img

picture = load_img("scans/case_17.png", target_size=(224, 224))
picture = Image.fromarray(np.asarray(picture, dtype=np.uint8))
picture = ImageEnhance.Brightness(picture).enhance(random.uniform(0.85, 1.15))
batch = np.expand_dims(np.asarray(picture, dtype=np.float32) / 255.0, axis=0)

backbone = DenseNet121(weights="imagenet", include_top=False, pooling="avg", input_shape=(224, 224, 3))
classifier = tf.keras.Sequential([backbone, tf.keras.layers.Dense(3, activation="softmax")])
classifier.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
classifier.fit(batch, np.array([2]), epochs=1)
