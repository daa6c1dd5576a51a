# Helpers are followed up to 6 calls deep: a seventh level is not followed, its result
# is unknown and nothing is reported.
import numpy as np
from tensorflow import keras

augment = keras.Sequential([keras.layers.RandomFlip("horizontal")])


def level7(x):
    return augment(x, training=True)


def level6(x):
    return level7(x)


def level5(x):
    return level6(x)


def level4(x):
    return level5(x)


def level3(x):
    return level4(x)


def level2(x):
    return level3(x)


def level1(x):
    return level2(x)


images = np.random.randint(0, 256, (8, 224, 224, 3)).astype("float32")
base = keras.applications.MobileNetV2(include_top=False)
features = base(level1(images))
