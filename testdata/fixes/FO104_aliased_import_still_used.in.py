# The same preprocess_input, imported under an alias, applied twice: one call goes, the import
# stays because the other call still uses it.
from tensorflow import keras
from tensorflow.keras.applications.resnet import preprocess_input as prep

base = keras.applications.ResNet101(include_top=False, weights="imagenet")
inputs = keras.Input(shape=(224, 224, 3))
x = prep(inputs)
x = prep(x)
features = base(x, training=False)
model = keras.Model(inputs, features)
