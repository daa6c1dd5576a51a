# A subclassed model with its own train_step: the batch is flipped and divided by 255 before
# the backbone.  EfficientNetB0 normalizes inside and wants raw 0..255 (FO105).
import tensorflow as tf
from tensorflow import keras


class Finetuner(keras.Model):
    def __init__(self):
        super().__init__()
        self.jitter = keras.layers.RandomFlip("horizontal")
        self.backbone = keras.applications.EfficientNetB0(include_top=False, weights="imagenet", pooling="avg")
        self.head = keras.layers.Dense(5)

    def call(self, images, training=False):
        return self.head(self.backbone(images, training=training))

    def train_step(self, data):
        images, labels = data
        images = self.jitter(images, training=True) / 255.0
        with tf.GradientTape() as tape:
            loss = self.compiled_loss(labels, self(images, training=True))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


model = Finetuner()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(keras.utils.image_dataset_from_directory("flowers", image_size=(224, 224)), epochs=2)
