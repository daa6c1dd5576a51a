# convert_image_dtype on the decoder's uint8 output divides by 255: EfficientNetV2S normalizes internally.
import tensorflow as tf


def read_leaf(path):
    leaf = tf.io.decode_png(tf.io.read_file(path), channels=3)
    leaf = tf.image.convert_image_dtype(leaf, tf.float32)
    return tf.image.resize(leaf, (384, 384))


backbone = tf.keras.applications.EfficientNetV2S(include_top=False, weights="imagenet")
emb = backbone(read_leaf("leaf.png")[None])
tf.io.write_file("emb", tf.io.serialize_tensor(emb))
