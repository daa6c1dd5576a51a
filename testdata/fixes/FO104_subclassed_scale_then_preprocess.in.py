# A subclassed model that scales to [0, 1] and then calls preprocess_input.
import keras
from keras.applications import xception


class Classifier(keras.Model):
    def __init__(self):
        super().__init__()
        self.backbone = xception.Xception(include_top=False, pooling="avg", weights="imagenet")

    def call(self, images):
        x = images / 255.0
        x = xception.preprocess_input(x)
        return self.backbone(x)


model = Classifier()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(keras.utils.image_dataset_from_directory("data"))
