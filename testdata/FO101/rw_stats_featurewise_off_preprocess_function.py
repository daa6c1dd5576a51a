# Clean: preprocessing_function=preprocess_input and no statistics flags; the featurewise flag is off.
from keras.applications.inception_v3 import InceptionV3, preprocess_input
from keras.layers import Dense, GlobalAveragePooling2D
from keras.models import Sequential
from keras.preprocessing.image import ImageDataGenerator

loader = ImageDataGenerator(preprocessing_function=preprocess_input, featurewise_center=False, zoom_range=0.1)
model = Sequential([InceptionV3(include_top=False, weights="imagenet", input_shape=(299, 299, 3)),
                    GlobalAveragePooling2D(), Dense(3)])
model.fit(loader.flow_from_directory("crops", target_size=(299, 299)), epochs=1)
