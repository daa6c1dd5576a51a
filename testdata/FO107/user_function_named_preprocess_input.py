# Negative: the file's own preprocess_input returns a new array.
import numpy as np


def preprocess_input(x):
    return x / 127.5 - 1.0


x = np.zeros((1, 224, 224, 3), dtype="float32")
y = preprocess_input(x)
print(x.mean())
