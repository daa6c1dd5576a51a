# Clean: the py_function body applies vgg19.preprocess_input after the layer flip.
import tensorflow as tf
from tensorflow.keras.applications import vgg19


def caffe(batch):
    return vgg19.preprocess_input(batch.numpy())


def prepare(batch, labels):
    batch = tf.image.random_flip_left_right(batch)
    return tf.py_function(func=caffe, inp=[batch], Tout=tf.float32), labels


train = tf.keras.utils.image_dataset_from_directory("cars", image_size=(224, 224)).map(prepare)
net = tf.keras.Sequential([vgg19.VGG19(include_top=False, pooling="avg"), tf.keras.layers.Dense(6)])
net.fit(train)
