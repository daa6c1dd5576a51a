# One batch taken with the Keras iterator's next(): rescale=1/255 images, and VGG19 wants caffe
# mode (FO101); the predictions are kept.
import numpy as np
from tensorflow.keras.applications import VGG19
from tensorflow.keras.preprocessing.image import ImageDataGenerator

test_gen = ImageDataGenerator(rescale=1 / 255.0).flow_from_directory("test", target_size=(224, 224))
model = VGG19(weights="imagenet")
batch = test_gen.next()
scores = model.predict(batch[0])
print(np.argmax(scores, axis=1))
