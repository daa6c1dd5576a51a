# The model flips its input, but the data it is fed comes from a loader fixorder cannot read:
# it may already be preprocessed, so no finding (fixorder explain says where the flow is lost).
import tensorflow as tf
from project_data import load_training_arrays

images, labels = load_training_arrays()
base = tf.keras.applications.MobileNetV2(include_top=False, pooling="avg")
model = tf.keras.Sequential([tf.keras.layers.RandomFlip(), base, tf.keras.layers.Dense(3)])
model.fit(images, labels)
