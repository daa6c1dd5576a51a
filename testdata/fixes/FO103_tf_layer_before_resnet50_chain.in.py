# Rescaling(1/127.5, offset=-1) is tf mode; ResNet50 expects caffe (no built-in layer does it).
import keras
from keras import layers
from keras.applications import resnet50

inputs = keras.Input((224, 224, 3))
x = layers.Rescaling(1 / 127.5, offset=-1)(inputs)
x = resnet50.ResNet50(include_top=False, weights="imagenet")(x)
keras.Model(inputs, x).fit(keras.utils.image_dataset_from_directory("data"))
