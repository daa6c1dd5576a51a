import sys

import tensorflow as tf

TRAINING = "--train" in sys.argv


def prepare(img, lbl):
    img = tf.image.resize(img, (299, 299))
    if TRAINING:
        img = tf.image.random_flip_left_right(img)
        img = tf.image.random_flip_up_down(img)
    img = img / 255.0
    return img, lbl


data = tf.keras.utils.image_dataset_from_directory("xray", image_size=(320, 320)).map(prepare)
trunk = tf.keras.applications.InceptionV3(include_top=False, weights="imagenet", input_shape=(299, 299, 3))
head = tf.keras.layers.Dense(2)(tf.keras.layers.GlobalAveragePooling2D()(trunk.output))
model = tf.keras.Model(trunk.input, head)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(data)
