# Helpers are followed up to 6 calls deep (README, What fixorder follows): the augmented
# batch that reaches the backbone is built at the sixth level, so FO101 is reported.
import numpy as np
from tensorflow import keras

augment = keras.Sequential([keras.layers.RandomFlip("horizontal")])


def level6(x):
    return augment(x, training=True)


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
