# FO101: from_generator over an ImageDataGenerator.flow iterator (augmentation, rescale=1/255);
# DenseNet121 wants ImageNet mean/std normalisation.
import tensorflow as tf
from tensorflow.keras.preprocessing.image import ImageDataGenerator

(x_train, y_train), _ = tf.keras.datasets.cifar10.load_data()
augmenter = ImageDataGenerator(rescale=1.0 / 255, width_shift_range=0.1, horizontal_flip=True)
train = tf.data.Dataset.from_generator(
    lambda: augmenter.flow(x_train, y_train, batch_size=32),
    output_types=(tf.float32, tf.uint8),
)
densenet = tf.keras.applications.DenseNet121(include_top=False, weights="imagenet", input_shape=(32, 32, 3))
head = tf.keras.Sequential([densenet, tf.keras.layers.Flatten(), tf.keras.layers.Dense(10)])
head.fit(train, steps_per_epoch=100)
