# Every import spelling resolves to the same catalogue entries.
import tensorflow as tf
import tf_keras
from tensorflow.keras.applications import mobilenet_v2 as m
from tensorflow.keras.applications.resnet_v2 import ResNet50V2 as Backbone
from tensorflow.python.keras.applications import densenet
from tf_keras.layers.experimental.preprocessing import RandomFlip as Flip

images = tf.cast(tf.random.uniform((2, 224, 224, 3), maxval=255), tf.float32)
flip = Flip()

out1 = m.MobileNetV2(include_top=False)(flip(images))
out2 = Backbone(include_top=False)(flip(images))
out3 = densenet.DenseNet121(include_top=False)(flip(images))
out4 = tf_keras.applications.NASNetMobile(include_top=False)(flip(images))
