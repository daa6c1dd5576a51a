# The float copy made by astype is overwritten, then saved as if it were raw pixels.
import numpy as np
import tensorflow as tf
from tensorflow.keras.applications.densenet import preprocess_input

(x_train, y_train), _ = tf.keras.datasets.cifar10.load_data()
images = x_train.astype("float32")
features = preprocess_input(images)
np.save("raw_images.npy", images)
