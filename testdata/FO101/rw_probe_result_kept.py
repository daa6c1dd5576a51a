# Not a probe: the raw features are kept (saved and returned), so MobileNetV2's missing
# preprocessing matters.  Buggy twin of rw_probe_shape_printed.
import numpy as np
import tensorflow as tf

train = tf.keras.utils.image_dataset_from_directory("leaves", image_size=(224, 224))
trunk = tf.keras.applications.MobileNetV2(include_top=False, input_shape=(224, 224, 3))


def embed(images):
    fmap = trunk(images)
    print(fmap.shape)
    return fmap


batch, _ = next(iter(train))
np.save("features.npy", embed(batch))
raw = trunk.predict(batch)
np.save("raw.npy", raw)
