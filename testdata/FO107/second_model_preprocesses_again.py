# B6 in NumPy: the second preprocess_input runs on the already-preprocessed array.
import numpy as np
from tensorflow.keras.applications import mobilenet_v2, resnet50


def predict_both(batch, first, second):
    x = np.array(batch, dtype="float32")
    a = first.predict(mobilenet_v2.preprocess_input(x))
    b = second.predict(resnet50.preprocess_input(x))
    return a, b
