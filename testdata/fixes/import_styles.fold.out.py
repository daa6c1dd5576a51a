# Every import spelling resolves to the same catalogue entries.
import tensorflow as tf
import tf_keras
from tensorflow.keras.applications import mobilenet_v2 as m
from tensorflow.keras.applications.resnet_v2 import ResNet50V2 as Backbone
from tensorflow.python.keras.applications import densenet
from tf_keras.layers.experimental.preprocessing import RandomFlip as Flip

images = tf.cast(tf.random.uniform((2, 224, 224, 3), maxval=255), tf.float32)
flip = Flip()


def augment_and_preprocess(images, training=None):
    return m.preprocess_input(flip(images, training=training))


def flip_and_preprocess(images, training=None):
    return tf.keras.applications.resnet_v2.preprocess_input(
        flip(images, training=training)
    )


def flip_and_densenet_preprocess(images, training=None):
    return densenet.preprocess_input(flip(images, training=training))


def flip_and_nasnet_preprocess(images, training=None):
    return tf_keras.applications.nasnet.preprocess_input(
        flip(images, training=training)
    )


out1 = m.MobileNetV2(include_top=False)(augment_and_preprocess(images))
out2 = Backbone(include_top=False)(flip_and_preprocess(images))
out3 = densenet.DenseNet121(include_top=False)(flip_and_densenet_preprocess(images))
out4 = tf_keras.applications.NASNetMobile(include_top=False)(
    flip_and_nasnet_preprocess(images)
)
