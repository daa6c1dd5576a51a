# Clean: tf.image.resize returns float32, so convert_image_dtype is only a cast; EfficientNetB3 gets 0..255.
import tensorflow as tf


def load_scan(path):
    data = tf.io.read_file(path)
    pixels = tf.image.decode_jpeg(data, channels=3)
    pixels = tf.image.resize(pixels, [300, 300])
    pixels = tf.image.random_flip_left_right(pixels)
    return tf.image.convert_image_dtype(pixels, dtype=tf.float32)


net = tf.keras.applications.EfficientNetB3(include_top=False, weights="imagenet")
codes = net(tf.expand_dims(load_scan("scan.jpg"), axis=0))
