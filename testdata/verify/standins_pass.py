"""A Kaggle/Colab-style script: TPU resolver and strategy, Colab drive, KaggleDatasets, tqdm,
cifar10.load_data(), plots.  Under verify each is an inert stand-in named in the notes; the
pipeline (preprocess_input on the loaded uint8 images into MobileNetV2) is correct.  Expected: PASS."""
import keras
import matplotlib.pyplot as plt
import tensorflow as tf
from google.colab import drive
from kaggle_datasets import KaggleDatasets
from tqdm import tqdm

drive.mount("/content/drive")
GCS_PATH = KaggleDatasets().get_gcs_path()
resolver = tf.distribute.cluster_resolver.TPUClusterResolver()
tf.config.experimental_connect_to_cluster(resolver)
tf.tpu.experimental.initialize_tpu_system(resolver)
strategy = tf.distribute.TPUStrategy(resolver)

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
for i in tqdm(range(3)):
    plt.imshow(x_train[i])
plt.show()

with strategy.scope():
    base = keras.applications.MobileNetV2(include_top=False, input_shape=(32, 32, 3), alpha=0.35)
    features = base(keras.applications.mobilenet_v2.preprocess_input(x_train[:8].astype("float32")))
