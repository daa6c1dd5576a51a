# Negative: the /255 copy is only plotted; the model gets preprocess_input once.
import matplotlib.pyplot as plt
import tensorflow as tf
from tensorflow.keras.applications import mobilenet_v2

ds = tf.keras.utils.image_dataset_from_directory("data")
base = mobilenet_v2.MobileNetV2(include_top=False, weights="imagenet")
for images, _ in ds.take(1):
    plt.imshow((images / 255.0)[0])
    features = base(mobilenet_v2.preprocess_input(images))
