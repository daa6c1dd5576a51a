# A subclassed model around EfficientNetV2B0 with include_preprocessing=False.
import keras


class Classifier(keras.Model):
    def __init__(self):
        super().__init__()
        self.backbone = keras.applications.EfficientNetV2B0(include_top=False, include_preprocessing=False)
        self.head = keras.layers.Dense(4)

    def call(self, images):
        return self.head(self.backbone(images))


Classifier().fit(keras.utils.image_dataset_from_directory("data"))
