# Negative: preprocess_input casts integer arrays to a new float32 array first.
import tensorflow as tf
from tensorflow.keras.applications.mobilenet_v2 import preprocess_input

(x_train, _), _ = tf.keras.datasets.cifar10.load_data()
batch = x_train[:32].astype("uint8")
preprocessed = preprocess_input(batch)
print(batch.max())
