import random

import tensorflow as tf
from tensorflow.keras.applications import resnet_v2


def vary(pic, y):
    choice = random.choice([0, 1, 2])
    if choice == 0:
        pic = tf.image.random_flip_left_right(pic)
    elif choice == 1:
        pic = tf.image.random_crop(pic, (224, 224, 3))
        pic = tf.image.resize(pic, (256, 256))
    else:
        pic = tf.image.random_flip_up_down(pic)
    return resnet_v2.preprocess_input(pic), y


data = tf.keras.utils.image_dataset_from_directory("moths", image_size=(256, 256)).unbatch().map(vary).batch(16)
model = tf.keras.Sequential([
    tf.keras.applications.ResNet101V2(include_top=False, weights="imagenet", input_shape=(256, 256, 3), pooling="avg"),
    tf.keras.layers.Dense(9),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(data)
