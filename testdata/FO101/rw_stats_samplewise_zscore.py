# FO101: a per-image z-score (samplewise_center + samplewise_std_normalization) is not Xception's
# [-1, 1] tf mode.
from keras.applications.xception import Xception
from keras.layers import Dense, GlobalAveragePooling2D
from keras.models import Sequential
from keras.preprocessing.image import ImageDataGenerator

loader = ImageDataGenerator(samplewise_center=True, samplewise_std_normalization=True, shear_range=0.2)
batches = loader.flow_from_directory("xray", target_size=(299, 299), class_mode="binary")
model = Sequential([Xception(include_top=False, weights="imagenet", input_shape=(299, 299, 3)),
                    GlobalAveragePooling2D(), Dense(1, activation="sigmoid")])
model.fit(batches, epochs=2)
