from tensorflow.keras.applications import EfficientNetB0
from tensorflow.keras.layers import Dense, Flatten
from tensorflow.keras.models import Model
from tensorflow.keras.preprocessing.image import ImageDataGenerator

settings = dict(rescale=1.0 / 255, horizontal_flip=True)
base = EfficientNetB0(include_top=False, weights="imagenet", input_shape=(224, 224, 3))
model = Model(base.input, Dense(10, activation="softmax")(Flatten()(base.output)))
model.fit(ImageDataGenerator(**settings).flow_from_directory("tiles", target_size=(224, 224)), epochs=2)
val = ImageDataGenerator(**settings).flow_from_directory("val", target_size=(224, 224))
