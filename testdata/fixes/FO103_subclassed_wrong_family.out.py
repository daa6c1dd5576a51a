# A subclassed model whose call() uses ResNet50's preprocessing for a MobileNetV2.
import keras
from keras.applications import mobilenet_v2


class Classifier(keras.Model):
    def __init__(self):
        super().__init__()
        self.backbone = mobilenet_v2.MobileNetV2(include_top=False, pooling="avg", weights="imagenet")
        self.head = keras.layers.Dense(3)

    def call(self, images):
        return self.head(self.backbone(mobilenet_v2.preprocess_input(images)))


model = Classifier()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(keras.utils.image_dataset_from_directory("data"))
