# Negative: trained from scratch, any input scaling is the user's choice.
import tensorflow as tf
from tensorflow.keras.preprocessing.image import ImageDataGenerator

gen = ImageDataGenerator(rescale=1.0 / 255)
model = tf.keras.Sequential([
    tf.keras.Input((224, 224, 3)),
    tf.keras.applications.EfficientNetB0(include_top=False, weights=None),
])
model.fit(gen.flow_from_directory("data"))
