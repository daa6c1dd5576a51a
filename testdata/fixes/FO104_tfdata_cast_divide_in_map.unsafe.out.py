# The map casts and divides by 255; the model applies preprocess_input as well.
import tensorflow as tf
from tensorflow.keras.applications import densenet


def scale(image, label):
    image = tf.cast(image, tf.float32)
    return image, label


ds = tf.keras.utils.image_dataset_from_directory("data", image_size=(224, 224)).map(scale)
model = tf.keras.Sequential([
    tf.keras.Input((224, 224, 3)),
    tf.keras.layers.Lambda(densenet.preprocess_input),
    densenet.DenseNet121(include_top=False, pooling="avg", weights="imagenet"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(ds)
