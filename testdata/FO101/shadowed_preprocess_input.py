# A user function that happens to be called preprocess_input is not Keras' function.
import keras
from keras import layers
from keras.applications.mobilenet_v2 import preprocess_input  # noqa: F401  (shadowed below)


def preprocess_input(image):
    return keras.ops.image.resize(image, (224, 224))


inputs = keras.Input(shape=(256, 256, 3))
x = layers.RandomFlip()(inputs)
x = preprocess_input(x)
outputs = keras.applications.MobileNetV2(include_top=False)(x)
model = keras.Model(inputs, outputs)
