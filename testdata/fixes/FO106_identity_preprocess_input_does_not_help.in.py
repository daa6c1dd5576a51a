# convnext.preprocess_input is an identity: it does not replace the disabled normalization.
import keras
from keras.applications import convnext

inputs = keras.Input((224, 224, 3))
x = convnext.preprocess_input(inputs)
x = convnext.ConvNeXtSmall(include_top=False, pooling="avg", include_preprocessing=False)(x)
model = keras.Model(inputs, x)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(keras.utils.image_dataset_from_directory("data", image_size=(224, 224)))
