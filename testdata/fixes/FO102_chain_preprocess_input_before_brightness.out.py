# Functional chain: preprocess_input, then RandomBrightness on [-1, 1] data.
import keras
from keras import layers
from keras.applications import mobilenet_v2

base = keras.applications.MobileNetV2(include_top=False, weights="imagenet")
inputs = keras.Input((224, 224, 3))
x = layers.RandomFlip("horizontal")(inputs)
x = layers.RandomBrightness(0.2)(x)
x = mobilenet_v2.preprocess_input(x)
x = base(x, training=False)
outputs = layers.Dense(1)(layers.GlobalAveragePooling2D()(x))
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(keras.utils.image_dataset_from_directory("data/train", image_size=(224, 224)))
