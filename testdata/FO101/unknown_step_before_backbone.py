# A step fixorder cannot follow (a function imported from another module) runs between the
# augmentation and the backbone: it may preprocess, so FO101 stays silent rather than offer a
# "safe" fix that would preprocess twice. The same holds for the step inside a Sequential.
import numpy as np
from tensorflow import keras
from mylib import normalise

augment = keras.Sequential([keras.layers.RandomFlip("horizontal")])
base = keras.applications.MobileNetV2(include_top=False)
images = np.random.randint(0, 256, (8, 224, 224, 3)).astype("float32")
features = base(normalise(augment(images, training=True)))
model = keras.Sequential([keras.Input((224, 224, 3)), augment, normalise, base])
