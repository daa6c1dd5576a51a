# RandomInvert computes value_range[1] - x, which is wrong on signed data even with a
# matching value_range (measured: [0, 2] out of [-1, 1] input); RandomFlip is fine.
import keras
from keras import layers
from keras.applications import inception_v3

inputs = keras.Input((299, 299, 3))
x = layers.RandomFlip()(inputs)
x = layers.RandomInvert(value_range=(0, 255))(x)
x = inception_v3.preprocess_input(x)
x = inception_v3.InceptionV3(include_top=False, pooling="avg", weights="imagenet")(x)
model = keras.Model(inputs, x)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(keras.utils.image_dataset_from_directory("data", image_size=(299, 299)))
