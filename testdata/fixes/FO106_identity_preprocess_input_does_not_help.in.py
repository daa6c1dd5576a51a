# convnext.preprocess_input is an identity: it does not replace the disabled normalization.
import keras
from keras.applications import convnext

inputs = keras.Input((224, 224, 3))
x = convnext.preprocess_input(inputs)
x = convnext.ConvNeXtSmall(include_top=False, include_preprocessing=False)(x)
keras.Model(inputs, x).fit(keras.utils.image_dataset_from_directory("data"))
