# Clean twin: the same cut feature extractor gets mobilenet_v2.preprocess_input after the flip.
import tensorflow as tf
from tensorflow.keras import layers

base = tf.keras.applications.MobileNetV2(include_top=False, weights="imagenet", input_shape=(160, 160, 3))
trunk = tf.keras.Model(base.layers[0].input, base.layers[-20].output)
head = tf.keras.Sequential([trunk, layers.GlobalAveragePooling2D(), layers.Dense(2)])

flip = layers.RandomFlip("horizontal")
train = tf.keras.utils.image_dataset_from_directory("pets", image_size=(160, 160))
train = train.map(lambda x, y: (tf.keras.applications.mobilenet_v2.preprocess_input(flip(x)), y))
head.fit(train, epochs=3)
