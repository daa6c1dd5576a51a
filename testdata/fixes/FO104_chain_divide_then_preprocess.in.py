# A Functional chain that divides by 255 before preprocess_input.
import keras
from keras.applications import resnet50

inputs = keras.Input((224, 224, 3))
x = inputs / 255.0
x = resnet50.preprocess_input(x)
x = resnet50.ResNet50(include_top=False, pooling="avg", weights="imagenet")(x)
model = keras.Model(inputs, x)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(keras.utils.image_dataset_from_directory("data", image_size=(224, 224)))
