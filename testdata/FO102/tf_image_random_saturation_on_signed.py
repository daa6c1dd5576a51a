# tf.image.random_saturation does HSV maths, which is wrong on [-1, 1] data.
import tensorflow as tf

base = tf.keras.applications.InceptionV3(include_top=False, weights="imagenet")


def prepare(image, label):
    image = tf.keras.applications.inception_v3.preprocess_input(image)
    image = tf.image.random_saturation(image, 0.8, 1.2)
    return image, label


ds = tf.keras.utils.image_dataset_from_directory("data").map(prepare)
model = tf.keras.Sequential([tf.keras.Input((299, 299, 3)), base, tf.keras.layers.Dense(3)])
model.fit(ds)
