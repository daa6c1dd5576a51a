# The only spelling of "applications" is inside a dotted module import with an alias: the
# pre-filter must let the file through and the analysis must resolve m.MobileNetV2.
import numpy as np
import keras.applications.mobilenet_v2 as m
from keras import Sequential, layers

augment = Sequential([layers.RandomFlip("horizontal")])
base = m.MobileNetV2(include_top=False)
images = np.random.randint(0, 256, (8, 224, 224, 3)).astype("float32")
features = base(augment(images, training=True))
