# B4: Rescaling(1/255) and then preprocess_input inside one Sequential.
import keras
from keras import layers
from keras.applications import mobilenet_v2

model = keras.Sequential([
    keras.Input((224, 224, 3)),
    layers.Rescaling(1 / 255),
    layers.Lambda(mobilenet_v2.preprocess_input),
    mobilenet_v2.MobileNetV2(include_top=False, pooling="avg", weights="imagenet"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(keras.utils.image_dataset_from_directory("data", image_size=(224, 224)))
