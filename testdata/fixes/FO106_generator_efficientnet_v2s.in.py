# EfficientNetV2S without built-in preprocessing expects x / 128 - 1; the generator only flips.
import tensorflow as tf
from tensorflow.keras.preprocessing.image import ImageDataGenerator

gen = ImageDataGenerator(horizontal_flip=True)
model = tf.keras.Sequential([
    tf.keras.Input((384, 384, 3)),
    tf.keras.applications.EfficientNetV2S(include_top=False, pooling="avg", include_preprocessing=False),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(gen.flow_from_directory("data", target_size=(384, 384), class_mode="sparse"))
