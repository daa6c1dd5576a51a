# FO101: tf.image.per_image_standardization z-scores each image; ResNet50V2 wants x / 127.5 - 1.
import tensorflow as tf


def standardize(img, label):
    img = tf.image.random_flip_left_right(img)
    return tf.image.per_image_standardization(img), label


ds = tf.keras.utils.image_dataset_from_directory("cells", image_size=(224, 224)).map(standardize)
model = tf.keras.Sequential([
    tf.keras.applications.ResNet50V2(include_top=False, weights="imagenet", input_shape=(224, 224, 3)),
    tf.keras.layers.GlobalAveragePooling2D(),
    tf.keras.layers.Dense(2),
])
model.fit(ds)
