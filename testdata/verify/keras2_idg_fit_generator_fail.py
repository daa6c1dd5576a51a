"""Keras 2 only (keras.preprocessing.image.ImageDataGenerator, keras.layers.core, np_utils, fit_generator):
verified under tf_keras.  rescale=1/255 gives [0, 1]; MobileNetV2 expects [-1, 1].  Expected: FAIL."""
from keras.applications.mobilenet_v2 import MobileNetV2
from keras.layers import GlobalAveragePooling2D
from keras.layers.core import Dense
from keras.models import Sequential
from keras.preprocessing.image import ImageDataGenerator
from keras.utils import np_utils

datagen = ImageDataGenerator(rescale=1.0 / 255, horizontal_flip=True)
train = datagen.flow_from_directory("data/train", target_size=(32, 32), batch_size=4, class_mode="sparse")


def one_hot(batches):
    for images, labels in batches:
        yield images, np_utils.to_categorical(labels, 2)


base = MobileNetV2(include_top=False, input_shape=(32, 32, 3), alpha=0.35)
model = Sequential([base, GlobalAveragePooling2D(), Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit_generator(one_hot(train), steps_per_epoch=10, epochs=3)
