# The keras.io guide's shape: Rescaling(1/127.5, offset=-1) is exactly Xception's tf-mode preprocessing.
import keras
from keras import layers

base_model = keras.applications.Xception(weights="imagenet", input_shape=(150, 150, 3), include_top=False)
augmentation = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)])

inputs = keras.Input(shape=(150, 150, 3))
x = augmentation(inputs)
x = layers.Rescaling(scale=1 / 127.5, offset=-1)(x)
x = base_model(x, training=False)
outputs = layers.Dense(1)(layers.GlobalAveragePooling2D()(x))
model = keras.Model(inputs, outputs)
