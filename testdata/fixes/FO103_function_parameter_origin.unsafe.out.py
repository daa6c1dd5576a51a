# The image enters through a parameter: the fix is unsafe (callers elsewhere).
import keras


def build(images):
    base = keras.applications.MobileNetV2(include_top=False, weights="imagenet")
    return base(keras.applications.mobilenet_v2.preprocess_input(images))
