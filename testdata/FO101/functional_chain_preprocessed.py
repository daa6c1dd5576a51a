# The TF transfer-learning tutorial's shape: augment, preprocess_input, backbone.
from tensorflow import keras
from tensorflow.keras import layers

data_augmentation = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.2)])
preprocess_input = keras.applications.mobilenet_v2.preprocess_input
base_model = keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False, weights="imagenet")

inputs = keras.Input(shape=(160, 160, 3))
x = data_augmentation(inputs)
x = preprocess_input(x)
x = base_model(x, training=False)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
