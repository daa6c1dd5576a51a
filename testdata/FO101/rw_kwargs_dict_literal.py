from tensorflow.keras.applications import VGG19
from tensorflow.keras.layers import Dense, Flatten
from tensorflow.keras.models import Model
from tensorflow.keras.preprocessing.image import ImageDataGenerator

AUGMENT = {"rescale": 1.0 / 255, "zoom_range": 0.1, "width_shift_range": 0.1}

base = VGG19(include_top=False, weights="imagenet", input_shape=(224, 224, 3))
model = Model(base.input, Dense(10, activation="softmax")(Flatten()(base.output)))
model.compile(optimizer="sgd", loss="categorical_crossentropy")
flow = ImageDataGenerator(**AUGMENT).flow_from_directory("tiles", target_size=(224, 224))
model.fit(flow, epochs=2)
