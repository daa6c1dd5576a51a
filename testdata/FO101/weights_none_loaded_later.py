# weights=None, but pretrained weights are loaded afterwards: the contract applies again.
import keras
from keras import layers

base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(96, 96, 3))
base.load_weights("mobilenet_v2_imagenet_notop.h5")
model = keras.Sequential([keras.Input(shape=(96, 96, 3)), layers.RandomFlip(), base, layers.GlobalAveragePooling2D()])
