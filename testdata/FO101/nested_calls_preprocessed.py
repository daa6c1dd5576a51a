# Nested calls with xception.preprocess_input between the augmentation and the backbone.
import numpy as np
import tensorflow as tf

batch = np.random.randint(0, 256, size=(4, 160, 160, 3)).astype("float32")
aug = tf.keras.layers.RandomFlip("horizontal")
base = tf.keras.applications.Xception(include_top=False, input_shape=(160, 160, 3))
head = tf.keras.layers.GlobalAveragePooling2D()
pooled = head(base(tf.keras.applications.xception.preprocess_input(aug(batch, training=True))))
