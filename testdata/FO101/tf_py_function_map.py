# A .map whose function fixorder cannot follow (tf.py_function of a function from another
# module) is an unknown step, not the identity: what it does to the pixels is unknown, so no FO101.
import tensorflow as tf
from tensorflow import keras
from photo_tools import load


ds = keras.utils.image_dataset_from_directory("data", image_size=(224, 224))
ds = ds.map(lambda x, y: (tf.py_function(load, [x], tf.float32), y))
model = keras.Sequential([keras.Input((224, 224, 3)), keras.applications.MobileNetV2(include_top=False)])
model.fit(ds)
