# keras-io#1549: CIFAR-10 scaled by /255 fed to EfficientNetB0.
import keras
from keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train = x_train.astype("float32") / 255
model = keras.Sequential([
    keras.Input((32, 32, 3)),
    layers.Resizing(224, 224),
    keras.applications.EfficientNetB0(include_top=False, weights="imagenet"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train)
