# Negative: the file's own preprocess_input only resizes; the /255 is FO101's business.
import tensorflow as tf
from tensorflow.keras.applications import mobilenet_v2


def preprocess_input(image):
    return tf.image.resize(image, (224, 224))


ds = tf.keras.utils.image_dataset_from_directory("data")
ds = ds.map(lambda x, y: (mobilenet_v2.preprocess_input(preprocess_input(x)), y))
model = tf.keras.Sequential([
    tf.keras.Input((224, 224, 3)),
    mobilenet_v2.MobileNetV2(include_top=False, weights="imagenet"),
])
model.fit(ds)
