"""TF_USE_LEGACY_KERAS=1: tf.keras is tf_keras (Keras 2).  Raw pixels into ResNet50V2 (tf mode).  Expected: FAIL."""
import os
os.environ["TF_USE_LEGACY_KERAS"] = "1"
import tensorflow as tf
import numpy as np
base = tf.keras.applications.ResNet50V2(include_top=False, input_shape=(32, 32, 3))
base(np.random.randint(0, 256, (2, 32, 32, 3)).astype("float32"))
