# ImageDataGenerator(rescale=1./255) in front of EfficientNetB3.
import tensorflow as tf
from tensorflow.keras.preprocessing.image import ImageDataGenerator

train_gen = ImageDataGenerator(rotation_range=20)
model = tf.keras.Sequential([
    tf.keras.Input((300, 300, 3)),
    tf.keras.applications.EfficientNetB3(include_top=False, weights="imagenet"),
])
model.fit(train_gen.flow_from_directory("data", target_size=(300, 300)))
