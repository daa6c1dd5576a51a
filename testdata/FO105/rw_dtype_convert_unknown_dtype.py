# Clean as far as fixorder can tell: the array's dtype is unknown (a parameter), so whether
# convert_image_dtype divides by 255 is unknown and nothing is guessed.
import tensorflow as tf

encoder = tf.keras.applications.EfficientNetB0(include_top=False, weights="imagenet")


def embed(batch):
    return encoder(tf.image.convert_image_dtype(batch, tf.float32))
