# Negative: ConvNeXt with include_preprocessing=False expects torch-normalized input,
# which densenet.preprocess_input produces.
import keras
from keras.applications import densenet

inputs = keras.Input((224, 224, 3))
x = densenet.preprocess_input(inputs)
x = keras.applications.ConvNeXtTiny(include_top=False, include_preprocessing=False)(x)
keras.Model(inputs, x).fit(keras.utils.image_dataset_from_directory("data"))
