# The backbone is built on an augmented tensor with input_tensor=.
import keras
from keras import layers

inputs = keras.Input(shape=(224, 224, 3))
x = layers.RandomFlip("horizontal")(inputs)
base = keras.applications.ResNet50(
    include_top=False,
    weights="imagenet",
    input_tensor=keras.applications.resnet.preprocess_input(x),
)
outputs = layers.Dense(3)(layers.GlobalAveragePooling2D()(base.output))
model = keras.Model(inputs, outputs)
