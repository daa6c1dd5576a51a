# ImageDataGenerator(rescale=1./255) in front of EfficientNetB3.
import tensorflow as tf
from tensorflow.keras.preprocessing.image import ImageDataGenerator

train_gen = ImageDataGenerator(rotation_range=20)
model = tf.keras.Sequential([
    tf.keras.Input((300, 300, 3)),
    tf.keras.applications.EfficientNetB3(include_top=False, pooling="avg", weights="imagenet"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(train_gen.flow_from_directory("data", target_size=(300, 300), class_mode="sparse"))
