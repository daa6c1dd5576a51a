# The TPU resolver fails on a laptop and the handler sets tpu = None: after the try, tpu may be
# either, so the `if tpu:` branch still trains. ResNet50V2 gets [0, 1] images (FO101).
import tensorflow as tf

try:
    tpu = tf.distribute.cluster_resolver.TPUClusterResolver()
except ValueError:
    tpu = None

data = tf.keras.utils.image_dataset_from_directory("d").map(lambda x, y: (tf.image.random_flip_left_right(x) / 255.0, y))
net = tf.keras.applications.ResNet50V2(weights="imagenet", pooling="avg")
if tpu:
    net.fit(data)
else:
    net.fit(data.take(10))
