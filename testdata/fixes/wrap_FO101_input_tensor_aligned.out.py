# The backbone is built on an augmented tensor with input_tensor= on an aligned line.
import keras
from keras import layers

inputs = keras.Input(shape=(224, 224, 3))
x = layers.RandomFlip("horizontal")(inputs)
base = keras.applications.ResNet50V2(
    include_top=False, weights="imagenet",
    input_shape=(224, 224, 3),
    input_tensor=keras.applications.resnet_v2.preprocess_input(x))
model = keras.Model(inputs, layers.Dense(3)(layers.GlobalAveragePooling2D()(base.output)))
