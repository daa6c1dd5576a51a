"""A functional model that is only built and compiled (no data ever flows).

verify calls it once on a generated raw 0..255 batch.  Expected: PASS.
"""
import keras
from keras import layers
from keras.applications import mobilenet_v2

inputs = keras.Input(shape=(32, 32, 3))
x = layers.RandomFlip("horizontal")(inputs)
x = layers.RandomRotation(0.1)(x)
x = mobilenet_v2.preprocess_input(x)
base = mobilenet_v2.MobileNetV2(include_top=False, alpha=0.35, input_shape=(32, 32, 3))
base.trainable = False
x = base(x, training=False)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(2, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
