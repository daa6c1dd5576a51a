# Keras applies rescale after preprocessing_function; the call hangs one keyword per line.
import tensorflow as tf
from tensorflow.keras.applications.mobilenet_v2 import MobileNetV2, preprocess_input
from tensorflow.keras.preprocessing.image import ImageDataGenerator

gen = ImageDataGenerator(
    preprocessing_function=preprocess_input,
    horizontal_flip=True,
    rescale=1.0 / 255,  # to [0, 1]
)
model = tf.keras.Sequential([tf.keras.Input((224, 224, 3)), MobileNetV2(include_top=False, pooling="avg")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(gen.flow_from_directory("data", target_size=(224, 224), class_mode="sparse"))
