# Eager code iterating a dataset: batches unpacked in a for loop and with next(iter(ds)).
import tensorflow as tf
ds = tf.keras.utils.image_dataset_from_directory("d")
aug = tf.keras.layers.RandomFlip()
base = tf.keras.applications.MobileNetV2(include_top=False)
for images, labels in ds:
    feats = base(aug(images))
images, labels = next(iter(ds))
f2 = base(images)
embedding = tf.reduce_mean(f2, axis=[1, 2])  # the features are used: not a shape probe
