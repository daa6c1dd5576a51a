# convnext.preprocess_input is an identity: it does not replace the disabled normalization.
import keras
from keras.applications import convnext

inputs = keras.Input((224, 224, 3))
x = keras.layers.Normalization(
    mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
    variance=[(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2],
)(inputs)
x = convnext.ConvNeXtSmall(include_top=False, pooling="avg", include_preprocessing=False)(x)
model = keras.Model(inputs, x)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(keras.utils.image_dataset_from_directory("data", image_size=(224, 224)))
