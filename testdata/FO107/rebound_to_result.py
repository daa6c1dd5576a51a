# Negative: x = preprocess_input(x) rebinds the name; later reads want preprocessed values.
import numpy as np
import keras
from keras.applications import xception

x = keras.utils.img_to_array(keras.utils.load_img("a.jpg", target_size=(299, 299)))
x = np.expand_dims(x, axis=0)
x = xception.preprocess_input(x)
print(keras.applications.Xception(weights="imagenet").predict(x))
