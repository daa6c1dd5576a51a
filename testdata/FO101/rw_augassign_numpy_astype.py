import numpy as np
import tensorflow as tf


def normalise(batch):
    batch = batch.astype("float32")
    batch /= 255.0
    return batch


pics = np.random.randint(0, 256, size=(2, 224, 224, 3))
vgg = tf.keras.applications.VGG16(weights="imagenet")
scores = vgg.predict(normalise(pics))
np.save("scores.npy", scores)
