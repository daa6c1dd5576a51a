# Subclassed model that preprocesses inside call() (numerically correct).
import keras
from keras import layers
from keras.applications import mobilenet


class Classifier(keras.Model):
    def __init__(self, num_classes):
        super().__init__()
        self.augment = keras.Sequential([layers.RandomFlip(), layers.RandomRotation(0.1)])
        self.backbone = keras.applications.MobileNet(include_top=False, weights="imagenet")
        self.head = layers.Dense(num_classes)

    def call(self, inputs, training=False):
        x = self.augment(inputs, training=training)
        x = mobilenet.preprocess_input(x)
        return self.head(self.backbone(x, training=False))


model = Classifier(10)
