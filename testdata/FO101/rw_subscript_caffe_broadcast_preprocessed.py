import numpy as np
import tensorflow as tf

BGR_MEANS = (103.939, 116.779, 123.68)


def to_caffe(batch):
    return batch[..., ::-1] - BGR_MEANS


pics = np.random.randint(0, 256, size=(2, 224, 224, 3)).astype("float32")
vgg = tf.keras.applications.VGG16(weights="imagenet")
scores = vgg.predict(to_caffe(pics))
