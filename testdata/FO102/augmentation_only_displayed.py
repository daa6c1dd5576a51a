# Negative: the colour augmentation on preprocessed images is only plotted, never trained on.
import matplotlib.pyplot as plt
import tensorflow as tf
from tensorflow.keras.applications import mobilenet_v2

ds = tf.keras.utils.image_dataset_from_directory("data")
jitter = tf.keras.layers.RandomBrightness(0.3)
for images, _ in ds.take(1):
    shown = jitter(mobilenet_v2.preprocess_input(images))
    plt.imshow(shown[0])

model = tf.keras.Sequential([
    tf.keras.Input((224, 224, 3)),
    tf.keras.layers.RandomBrightness(0.3),
    tf.keras.layers.Rescaling(1 / 127.5, offset=-1),
    mobilenet_v2.MobileNetV2(include_top=False, weights="imagenet"),
])
model.fit(ds)
