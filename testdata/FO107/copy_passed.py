# Negative: the caller passes a copy.
import keras
from keras.applications import mobilenet_v2

x = keras.utils.img_to_array(keras.utils.load_img("a.jpg"))[None]
scores = mobilenet_v2.MobileNetV2().predict(mobilenet_v2.preprocess_input(x.copy()))
print(x.max())
