# EfficientNet normalizes internally and wants raw pixels; [-1, 1] input is almost constant inside.
import tensorflow as tf
from tensorflow.keras.applications import efficientnet, mobilenet_v2

inputs = tf.keras.Input((224, 224, 3))
x = mobilenet_v2.preprocess_input(inputs)
x = efficientnet.EfficientNetB0(include_top=False, pooling="avg", weights="imagenet")(x)
model = tf.keras.Model(inputs, x)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(tf.keras.utils.image_dataset_from_directory("data", image_size=(224, 224)))
