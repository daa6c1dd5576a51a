import sys

import tensorflow as tf
from tensorflow.keras.applications.inception_v3 import preprocess_input

TRAINING = "--train" in sys.argv


def prepare(img, lbl):
    img = tf.image.resize(img, (299, 299))
    if TRAINING:
        img = tf.image.random_flip_left_right(img)
    img = preprocess_input(img)
    return img, lbl


data = tf.keras.utils.image_dataset_from_directory("xray", image_size=(320, 320)).map(prepare)
trunk = tf.keras.applications.InceptionV3(include_top=False, weights="imagenet", input_shape=(299, 299, 3))
head = tf.keras.layers.Dense(2)(tf.keras.layers.GlobalAveragePooling2D()(trunk.output))
model = tf.keras.Model(trunk.input, head)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(data)
