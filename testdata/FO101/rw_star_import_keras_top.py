from keras import *
from keras.applications.densenet import DenseNet121
from keras.layers import Dense, Flatten
from keras.preprocessing.image import ImageDataGenerator

base = DenseNet121(weights="imagenet", include_top=False, input_shape=(224, 224, 3))
model = Model(inputs=base.input, outputs=Dense(3, activation="softmax")(Flatten()(base.output)))
model.compile(optimizer="adam", loss="categorical_crossentropy")
flow = ImageDataGenerator(rescale=1.0 / 255, brightness_range=(0.8, 1.2)).flow_from_directory("wood")
model.fit(flow)
