# imagenet_utils.preprocess_input defaults to caffe mode; InceptionV3 wants [-1, 1].
import keras
from keras.applications import imagenet_utils

inputs = keras.Input((299, 299, 3))
x = imagenet_utils.preprocess_input(inputs)
x = keras.applications.InceptionV3(include_top=False, pooling="avg", weights="imagenet")(x)
model = keras.Model(inputs, x)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(keras.utils.image_dataset_from_directory("data", image_size=(299, 299)))
