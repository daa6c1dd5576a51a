# Clean as far as fixorder can tell: centering each image without dividing by its std is a partial
# normalisation whose range depends on the data; it may compensate, so nothing is reported.
from keras.applications.xception import Xception
from keras.layers import Dense, GlobalAveragePooling2D
from keras.models import Sequential
from keras.preprocessing.image import ImageDataGenerator

loader = ImageDataGenerator(samplewise_center=True, shear_range=0.2)
batches = loader.flow_from_directory("xray", target_size=(299, 299), class_mode="binary")
model = Sequential([Xception(include_top=False, weights="imagenet", input_shape=(299, 299, 3)),
                    GlobalAveragePooling2D(), Dense(1, activation="sigmoid")])
model.fit(batches, epochs=2)
