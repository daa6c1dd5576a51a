# Removing the only layer would leave an empty Sequential: the fix is only shown.
import keras
from keras import layers

scale = keras.Sequential([layers.Rescaling(1.0 / 255)])
model = keras.Sequential([keras.Input((224, 224, 3)), scale, keras.applications.EfficientNetB0(include_top=False)])
model.fit(keras.utils.image_dataset_from_directory("data"))
