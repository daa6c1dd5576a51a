# Preprocessed twice, then augmented: moving one call and dropping the other are two fixes of one
# chain; each assumes the other's statements are untouched, so they apply in successive passes.
from tensorflow import keras

augment = keras.Sequential([keras.layers.AugMix()])
base = keras.applications.ResNet101(include_top=False, weights="imagenet")
inputs = keras.Input(shape=(224, 224, 3))
x = keras.applications.resnet.preprocess_input(inputs)
x = keras.applications.resnet.preprocess_input(x)
x = augment(x, training=True)
features = base(x, training=False)
model = keras.Model(inputs, features)
