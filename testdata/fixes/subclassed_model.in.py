# A subclassed model: augmentation and backbone set up in __init__, chained in call().
import keras
from keras import layers


class Classifier(keras.Model):
    def __init__(self, num_classes):
        super().__init__()
        self.augment = keras.Sequential([layers.RandomFlip(), layers.RandomRotation(0.1)])
        self.backbone = keras.applications.MobileNet(include_top=False, weights="imagenet")
        self.pool = layers.GlobalAveragePooling2D()
        self.head = layers.Dense(num_classes)

    def call(self, inputs, training=False):
        x = self.augment(inputs, training=training)
        x = self.backbone(x, training=False)
        return self.head(self.pool(x))


model = Classifier(10)
