# Negative: no pretrained weights.
import keras

model = keras.Sequential([
    keras.Input((224, 224, 3)),
    keras.applications.ConvNeXtTiny(include_top=False, weights=None, include_preprocessing=False),
])
model.fit(keras.utils.image_dataset_from_directory("data"))
