# Inference on one image loaded with load_img: raw pixels reach ResNet50 (caffe mode).
import numpy as np
from tensorflow.keras.applications.resnet50 import ResNet50, preprocess_input, decode_predictions
from tensorflow.keras.preprocessing import image

model = ResNet50(weights="imagenet")
img = image.load_img("elephant.jpg", target_size=(224, 224))
x = image.img_to_array(img)
x = np.expand_dims(x, axis=0)
preds = model.predict(x)
print(decode_predictions(preds, top=3)[0])
