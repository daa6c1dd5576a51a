# Sequential([...]) with augmentation and the backbone in one list; nested blocks are flattened.
import tensorflow as tf
from tensorflow.keras import layers

augmentation = tf.keras.Sequential([layers.RandomFlip(), layers.RandomContrast(0.2)], name="augmentation")
model = tf.keras.Sequential([
    tf.keras.Input(shape=(224, 224, 3)),
    augmentation,
    layers.Normalization(
        mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
        variance=[(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2],
    ),
    tf.keras.applications.DenseNet121(include_top=False, weights="imagenet"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(5, activation="softmax"),
])
