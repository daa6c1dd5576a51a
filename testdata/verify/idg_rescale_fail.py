"""ImageDataGenerator(rescale=1/255) + flow_from_directory + fit into MobileNetV2.

MobileNetV2 expects [-1, 1]; rescale gives [0, 1].  Expected: FAIL.
"""
from tensorflow.keras.preprocessing.image import ImageDataGenerator
from tensorflow.keras.applications import MobileNetV2
from tensorflow.keras import layers, models

datagen = ImageDataGenerator(rescale=1.0 / 255, horizontal_flip=True, rotation_range=10)
train = datagen.flow_from_directory("dataset/train", target_size=(32, 32), batch_size=4, class_mode="binary")

base = MobileNetV2(weights="imagenet", include_top=False, input_shape=(32, 32, 3), alpha=0.35)
base.trainable = False  # frozen: a cheaper training step, the same input reaches it
model = models.Sequential([base, layers.GlobalAveragePooling2D(), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(train, epochs=5, steps_per_epoch=100)
