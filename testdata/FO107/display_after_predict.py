# A5-style inference: the array is shown after preprocess_input overwrote it.
import matplotlib.pyplot as plt
import keras
from keras.applications import mobilenet_v2

model = mobilenet_v2.MobileNetV2(weights="imagenet")
image = keras.utils.load_img("cat.jpg", target_size=(224, 224))
x = keras.utils.img_to_array(image)[None]
predictions = model.predict(mobilenet_v2.preprocess_input(x))
plt.imshow(x[0] / 255.0)
