import json

from tensorflow.keras.applications import VGG19
from tensorflow.keras.layers import Dense, Flatten
from tensorflow.keras.models import Model
from tensorflow.keras.preprocessing.image import ImageDataGenerator

with open("augment.json") as fh:
    settings = json.load(fh)  # may hold preprocessing_function: not known here

base = VGG19(include_top=False, weights="imagenet", input_shape=(224, 224, 3))
model = Model(base.input, Dense(10, activation="softmax")(Flatten()(base.output)))
model.compile(optimizer="sgd", loss="categorical_crossentropy")
model.fit(ImageDataGenerator(**settings).flow_from_directory("tiles", target_size=(224, 224)), epochs=2)
