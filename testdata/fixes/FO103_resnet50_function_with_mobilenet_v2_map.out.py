# B3: ResNet50's caffe preprocessing feeds a MobileNetV2 (tf mode) through tf.data.
import tensorflow as tf
from tensorflow.keras.applications.mobilenet_v2 import preprocess_input

base = tf.keras.applications.MobileNetV2(include_top=False, pooling="avg", weights="imagenet")
ds = tf.keras.utils.image_dataset_from_directory("data", image_size=(224, 224))
ds = ds.map(lambda x, y: (preprocess_input(x), y))
model = tf.keras.Sequential([tf.keras.Input((224, 224, 3)), base, tf.keras.layers.Dense(2)])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(ds)
