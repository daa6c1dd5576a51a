# Sequential list with ResNet50 (caffe mode): no Rescaling/Normalization can flip RGB to BGR, so the
# fix inserts Lambda(preprocess_input), which Keras 3 cannot reload without custom_objects: unsafe.
import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(224, 224, 3)),
    layers.RandomFlip(),
    keras.applications.ResNet50(include_top=False, weights="imagenet"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(3),
])
