# x / 255 in one map is undone by * 255 in the next: Xception gets raw 0..255 flipped pixels, no preprocessing.
import tensorflow as tf


def to_unit(img, y):
    return tf.cast(img, tf.float32) / 255.0, y


def back_to_pixels(img, y):
    return tf.image.random_flip_up_down(img) * 255.0, y


train = tf.keras.utils.image_dataset_from_directory("bark", image_size=(299, 299))
train = train.map(to_unit).map(back_to_pixels)
base = tf.keras.applications.Xception(include_top=False, weights="imagenet", input_shape=(299, 299, 3))
head = tf.keras.Sequential([base, tf.keras.layers.GlobalAveragePooling2D(), tf.keras.layers.Dense(3)])
head.fit(train, epochs=1)
