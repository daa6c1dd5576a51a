import numpy as np
import tensorflow as tf


def centre(batch):
    batch = batch[..., ::-1]
    batch[..., 0] -= 103.939  # only one channel centred: not caffe mode, not known either
    return batch


pics = np.random.randint(0, 256, size=(2, 224, 224, 3)).astype("float32")
vgg = tf.keras.applications.VGG16(weights="imagenet")
scores = vgg.predict(centre(pics))
