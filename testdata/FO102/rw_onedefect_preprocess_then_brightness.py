# FO102 (twin of the FO101 one-defect case): here the map applies the right preprocess_input, so
# RandomBrightness (value_range (0, 255) by default) running after it on [-1, 1] data is the defect.
import tensorflow as tf
from tensorflow.keras.applications import inception_resnet_v2


def scale(img, lab):
    return inception_resnet_v2.preprocess_input(img), lab


train = tf.keras.utils.image_dataset_from_directory("rocks", image_size=(299, 299)).map(scale)
augment = tf.keras.Sequential([tf.keras.layers.RandomFlip(), tf.keras.layers.RandomBrightness(0.3)])
inputs = tf.keras.Input((299, 299, 3))
features = inception_resnet_v2.InceptionResNetV2(include_top=False, weights="imagenet")(augment(inputs))
model = tf.keras.Model(inputs, tf.keras.layers.Dense(4)(tf.keras.layers.GlobalAveragePooling2D()(features)))
model.fit(train)
