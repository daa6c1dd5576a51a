# FO101: half of the images get random brightness through tf.cond; either way InceptionV3 wants
# [-1, 1] and gets raw pixels.
import tensorflow as tf


def maybe_brighten(img):
    return tf.cond(tf.random.uniform(()) > 0.5,
                   true_fn=lambda: tf.image.random_brightness(img, 20.0),
                   false_fn=lambda: img)


def prep(img, label):
    return maybe_brighten(img), label


ds = tf.keras.utils.image_dataset_from_directory("birds", image_size=(224, 224)).map(prep)
base = tf.keras.applications.InceptionV3(include_top=False, weights="imagenet", pooling="avg")
model = tf.keras.Sequential([base, tf.keras.layers.Dense(20)])
model.fit(ds)
