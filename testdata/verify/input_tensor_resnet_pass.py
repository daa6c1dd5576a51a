"""ResNet50 built with input_tensor= on top of augmentation + resnet50.preprocess_input.  Only built and compiled.

Expected: PASS (caffe)."""
import keras
from keras import layers
from keras.applications import resnet50

inputs = keras.Input(shape=(32, 32, 3))
x = layers.RandomFlip("horizontal")(inputs)
x = resnet50.preprocess_input(x)
base = resnet50.ResNet50(include_top=False, input_tensor=x)
x = layers.GlobalAveragePooling2D()(base.output)
outputs = layers.Dense(2, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
