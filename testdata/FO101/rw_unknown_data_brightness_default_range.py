# The data comes from another module, but the model's RandomBrightness keeps its default
# value_range (0, 255): the author feeds raw pixels, and MobileNetV2 gets them unpreprocessed.
import tensorflow as tf
from project_data import load_training_arrays

images, labels = load_training_arrays()
jitter = tf.keras.Sequential([tf.keras.layers.RandomFlip(), tf.keras.layers.RandomBrightness(0.2)])
base = tf.keras.applications.MobileNetV2(include_top=False, pooling="avg")
inputs = tf.keras.Input((224, 224, 3))
model = tf.keras.Model(inputs, tf.keras.layers.Dense(3)(base(jitter(inputs))))
model.fit(images, labels)
