# Clean: the generator given to from_generator applies densenet.preprocess_input after augmenting.
import tensorflow as tf
from tensorflow.keras.applications import densenet
from tensorflow.keras.preprocessing.image import ImageDataGenerator


def batches():
    gen = ImageDataGenerator(preprocessing_function=densenet.preprocess_input, horizontal_flip=True)
    return gen.flow_from_directory("train", target_size=(224, 224), batch_size=16)


ds = tf.data.Dataset.from_generator(batches, output_signature=(
    tf.TensorSpec((None, 224, 224, 3), tf.float32), tf.TensorSpec((None, 4), tf.float32)))
net = tf.keras.Sequential([densenet.DenseNet169(include_top=False, pooling="avg"), tf.keras.layers.Dense(4)])
net.fit(ds, steps_per_epoch=10)
