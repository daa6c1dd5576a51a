# FO101: the numpy_function loader divides by 255 and flips; VGG19 wants caffe-mode pixels.
import numpy as np
import tensorflow as tf


def np_load(img):
    return np.fliplr(img).astype("float32") / 255.0


def loader(img, label):
    out = tf.numpy_function(np_load, [img], tf.float32)
    return out, label


data = tf.keras.utils.image_dataset_from_directory("cars", image_size=(224, 224)).unbatch().map(loader)
vgg = tf.keras.applications.VGG19(include_top=False, weights="imagenet", input_shape=(224, 224, 3))
model = tf.keras.Sequential([tf.keras.layers.RandomZoom(0.1), vgg, tf.keras.layers.Flatten(), tf.keras.layers.Dense(6)])
model.fit(data.batch(8))
