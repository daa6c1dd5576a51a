"""A Keras 2 optimizer spelling (``lr=``, ``decay=``) that today's optimizers reject; the data
is raw pixels into ResNet50.  Expected: FAIL (raw [0, 255] into caffe), not a crash."""
import numpy as np
from tensorflow import keras

images = np.random.randint(0, 256, (8, 32, 32, 3)).astype("float32")
labels = keras.utils.to_categorical(np.arange(8) % 2, 2)
base = keras.applications.ResNet50(include_top=False, input_shape=(32, 32, 3))
model = keras.Sequential([base, keras.layers.Flatten(), keras.layers.Dense(2, activation="softmax")])
model.compile(optimizer=keras.optimizers.SGD(lr=1e-3, momentum=0.9, decay=1e-6), loss="categorical_crossentropy")
model.fit(images, labels, epochs=2, batch_size=4)
