# Aliased and assigned preprocess_input functions are recognised: clean.
import tensorflow as tf
from tensorflow.keras.applications import mobilenet_v2 as m
from tensorflow.keras.applications.resnet_v2 import ResNet50V2 as Backbone
from tensorflow.keras.applications.resnet_v2 import preprocess_input as resnet_v2_preprocess
from tf_keras.layers.experimental.preprocessing import RandomFlip as Flip

mobilenet_preprocess = m.preprocess_input
images = tf.cast(tf.random.uniform((2, 96, 96, 3), maxval=255), tf.float32)
flip = Flip()

out1 = m.MobileNetV2(include_top=False)(mobilenet_preprocess(flip(images)))
out2 = Backbone(include_top=False)(resnet_v2_preprocess(flip(images)))
