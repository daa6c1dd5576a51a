# resnet (v1) is caffe mode; ResNet50V2 is tf mode.
import keras
from keras import layers
from keras.applications import resnet_v2

model = keras.Sequential([
    keras.Input((224, 224, 3)),
    layers.Lambda(resnet_v2.preprocess_input),
    resnet_v2.ResNet50V2(include_top=False, pooling="avg", weights="imagenet"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(keras.utils.image_dataset_from_directory("data", image_size=(224, 224)))
