# Clean: the distributed step applies resnet_v2.preprocess_input before ResNet50V2.
import tensorflow as tf
from tensorflow.keras.applications import resnet_v2

strategy = tf.distribute.MirroredStrategy()
train = tf.keras.utils.image_dataset_from_directory("bees", image_size=(224, 224))
with strategy.scope():
    augment = tf.keras.Sequential([tf.keras.layers.RandomFlip(), tf.keras.layers.RandomRotation(0.2)])
    backbone = resnet_v2.ResNet50V2(include_top=False, pooling="avg")


def step(batch):
    images, labels = batch
    feats = backbone(resnet_v2.preprocess_input(augment(images, training=True)))
    return tf.reduce_mean(feats)


for batch in strategy.experimental_distribute_dataset(train):
    strategy.run(step, args=(batch,))
