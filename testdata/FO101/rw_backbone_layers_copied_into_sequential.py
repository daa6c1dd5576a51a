# VGG16's layers (all but the classifier) copied one by one into a Sequential, then trained on
# rescale=1/255 batches: VGG16 wants caffe mode (FO101, at the add that copies it in).
from tensorflow.keras.applications import VGG16
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential
from tensorflow.keras.preprocessing.image import ImageDataGenerator

vgg = VGG16(weights="imagenet")
classifier = Sequential()
for layer in vgg.layers[:-1]:
    layer.trainable = False
    classifier.add(layer)
classifier.add(Dense(2, activation="softmax"))
batches = ImageDataGenerator(rescale=1.0 / 255, shear_range=0.2).flow_from_directory("cats", target_size=(224, 224))
classifier.fit(batches, epochs=3)
