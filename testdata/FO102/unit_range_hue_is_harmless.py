# Negative for FO102: RandomHue gives the same result on [0, 1] data with or without
# value_range (measured).  The [0, 1] input itself is wrong for MobileNetV2: that is FO101.
import keras
from keras import layers

model = keras.Sequential([
    keras.Input((224, 224, 3)),
    layers.Rescaling(1.0 / 255),
    layers.RandomHue(0.1),
    keras.applications.MobileNetV2(include_top=False, weights="imagenet"),
])
model.fit(keras.utils.image_dataset_from_directory("data"))
