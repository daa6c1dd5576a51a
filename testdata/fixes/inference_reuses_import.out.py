# Inference on one image: the unused preprocess_input import is reused by the fix.
import numpy as np
from tensorflow.keras.applications.resnet50 import ResNet50, preprocess_input, decode_predictions
from tensorflow.keras.preprocessing import image

model = ResNet50(weights="imagenet")
img = image.load_img("elephant.jpg", target_size=(224, 224))
x = image.img_to_array(img)
x = np.expand_dims(x, axis=0)
preds = model.predict(preprocess_input(x))
print(decode_predictions(preds, top=3)[0])
