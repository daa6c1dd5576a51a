# A subclassed model that scales before ConvNeXt's built-in normalization.
import keras


class Classifier(keras.Model):
    def __init__(self):
        super().__init__()
        self.backbone = keras.applications.ConvNeXtTiny(include_top=False, weights="imagenet")
        self.pool = keras.layers.GlobalAveragePooling2D()

    def call(self, images):
        x = self.backbone(images)
        return self.pool(x)


model = Classifier()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(keras.utils.image_dataset_from_directory("data"))
