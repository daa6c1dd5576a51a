# brightness_range works on the arrays it is given; here they are already in [-1, 1].
import tensorflow as tf
from tensorflow.keras.applications.mobilenet_v2 import MobileNetV2, preprocess_input
from tensorflow.keras.preprocessing.image import ImageDataGenerator

(x_train, y_train), _ = tf.keras.datasets.cifar10.load_data()
x_train = preprocess_input(x_train.astype("float32"))
generator = ImageDataGenerator(horizontal_flip=True, brightness_range=(0.8, 1.2))
model = tf.keras.Sequential([tf.keras.Input((32, 32, 3)), MobileNetV2(include_top=False, weights="imagenet")])
model.fit(generator.flow(x_train, y_train))
