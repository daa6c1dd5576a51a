"""The Sequential ResNet50 pipeline with the inserted caffe preprocessing layer.  Expected: PASS."""
import numpy as np
import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.RandomFlip("horizontal"),
    layers.RandomZoom(0.1),
    layers.Lambda(keras.applications.resnet50.preprocess_input),
    keras.applications.ResNet50(include_top=False, input_shape=(32, 32, 3)),
    layers.GlobalAveragePooling2D(),
    layers.Dense(2, activation="softmax"),
])
images = np.random.randint(0, 256, size=(8, 32, 32, 3)).astype("float32")
model.predict(images, batch_size=4)
