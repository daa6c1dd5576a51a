import os

import numpy as np
from tensorflow.keras import Model, layers
from tensorflow.keras.applications import VGG16
from tensorflow.keras.applications.vgg16 import preprocess_input
from tensorflow.keras.utils import img_to_array, load_img


def load_folder(folder):
    images, labels = [], []
    for name in sorted(os.listdir(folder)):
        picture = load_img(os.path.join(folder, name), target_size=(224, 224))
        images.append(img_to_array(picture))
        labels.append(int(name.startswith("dog")))
    return preprocess_input(np.stack(images)), np.array(labels)


x_train, y_train = load_folder("pets/train")
base = VGG16(weights="imagenet", include_top=False, input_shape=(224, 224, 3))
inputs = layers.Input(shape=(224, 224, 3))
outputs = layers.Dense(1, activation="sigmoid")(layers.GlobalAveragePooling2D()(base(inputs)))
model = Model(inputs, outputs)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x_train, y_train, epochs=3)
