"""Sequential([aug, ResNet50(...), ...]): ResNet50 expects caffe input, gets raw pixels.  Expected: FAIL."""
import numpy as np
import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.RandomFlip("horizontal"),
    layers.RandomZoom(0.1),
    keras.applications.ResNet50(include_top=False, input_shape=(32, 32, 3)),
    layers.GlobalAveragePooling2D(),
    layers.Dense(2, activation="softmax"),
])
images = np.random.randint(0, 256, size=(8, 32, 32, 3)).astype("float32")
model.predict(images, batch_size=4)
