"""Downloads a single file (not a dataset archive) with get_file.  Expected: UNVERIFIED (download refused)."""
import tensorflow as tf

base = tf.keras.applications.MobileNetV2(include_top=False, alpha=0.35, input_shape=(32, 32, 3))
path = tf.keras.utils.get_file("flower_labels.txt", origin="https://example.invalid/flower_labels.txt")
labels = open(path).read().split()
