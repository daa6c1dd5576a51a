"""The build-and-compile model without preprocess_input.  Expected: FAIL ([0, 255] vs [-1, 1])."""
import keras
from keras import layers
from keras.applications import mobilenet_v2

inputs = keras.Input(shape=(32, 32, 3))
x = layers.RandomFlip("horizontal")(inputs)
x = layers.RandomRotation(0.1)(x)
base = mobilenet_v2.MobileNetV2(include_top=False, alpha=0.35, input_shape=(32, 32, 3))
base.trainable = False
x = base(x, training=False)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(2, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
