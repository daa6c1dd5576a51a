# Functional model, statement chain: Input -> augmentation -> backbone (the TF tutorial without its preprocessing).
from tensorflow import keras
from tensorflow.keras import layers

data_augmentation = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.2)])
base_model = keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False, weights="imagenet")
base_model.trainable = False

inputs = keras.Input(shape=(160, 160, 3))
x = data_augmentation(inputs)
x = base_model(keras.applications.mobilenet_v2.preprocess_input(x), training=False)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
