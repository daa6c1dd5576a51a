import numpy as np
from tensorflow.keras.applications import InceptionV3
from tensorflow.keras.layers import Dense, GlobalAveragePooling2D
from tensorflow.keras.models import Model


def batches(count, size=8):
    for _ in range(count):
        pics = np.random.randint(0, 256, size=(size, 299, 299, 3)).astype("float32")
        yield pics / 255.0, np.zeros((size, 4))


trunk = InceptionV3(include_top=False, weights="imagenet", input_shape=(299, 299, 3))
clf = Model(trunk.input, Dense(4)(GlobalAveragePooling2D()(trunk.output)))
clf.compile(optimizer="adam", loss="categorical_crossentropy")
clf.fit(batches(10), steps_per_epoch=10)
