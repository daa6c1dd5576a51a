# B9 + B6: the subclassed model preprocesses in call(), and the dataset map does it again.
# The map copy is removed; the flow crosses into call(), so the fix is unsafe.
import keras
from keras.applications import mobilenet_v2


class Classifier(keras.Model):
    def __init__(self):
        super().__init__()
        self.backbone = mobilenet_v2.MobileNetV2(include_top=False, pooling="avg", weights="imagenet")

    def call(self, x, training=False):
        return self.backbone(mobilenet_v2.preprocess_input(x), training=False)


train = keras.utils.image_dataset_from_directory("data")
train = train.map(lambda x, y: (mobilenet_v2.preprocess_input(x), y))
model = Classifier()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(train)
