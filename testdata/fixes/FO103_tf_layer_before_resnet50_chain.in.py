# Rescaling(1/127.5, offset=-1) is tf mode; ResNet50 expects caffe (no built-in layer does it).
import keras
from keras import layers
from keras.applications import resnet50

inputs = keras.Input((224, 224, 3))
x = layers.Rescaling(1 / 127.5, offset=-1)(inputs)
x = resnet50.ResNet50(include_top=False, pooling="avg", weights="imagenet")(x)
model = keras.Model(inputs, x)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(keras.utils.image_dataset_from_directory("data", image_size=(224, 224)))
