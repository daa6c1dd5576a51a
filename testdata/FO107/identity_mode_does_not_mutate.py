# Negative: efficientnet.preprocess_input returns its input unchanged.
import numpy as np
from keras.applications import efficientnet

x = np.ones((1, 224, 224, 3), dtype=np.float32)
y = efficientnet.preprocess_input(x)
print(x.mean())
