"""A subclassed model that augments, preprocesses and calls MobileNetV2 in call(); only compiled.

verify calls it on a generated raw batch of the backbone's input shape.  Expected: PASS."""
import keras
from keras import layers
from keras.applications import mobilenet_v2

class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.aug = layers.RandomFlip()
        self.base = mobilenet_v2.MobileNetV2(include_top=False, alpha=0.35, input_shape=(32, 32, 3))
        self.head = layers.Dense(2)
    def call(self, x, training=False):
        x = self.aug(x, training=training)
        x = mobilenet_v2.preprocess_input(x)
        return self.head(keras.layers.GlobalAveragePooling2D()(self.base(x)))

model = Net()
model.compile("adam", "mse")
