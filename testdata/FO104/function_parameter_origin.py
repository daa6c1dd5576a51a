# The images come in as a parameter: removing the scaling is unsafe.
import keras
from keras.applications import mobilenet_v2


def embed(images):
    base = mobilenet_v2.MobileNetV2(include_top=False, weights="imagenet")
    images = images / 255.0
    return base(mobilenet_v2.preprocess_input(images))
