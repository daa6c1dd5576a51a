# expected: FO101 (MobileNetV2, tf mode, is trained on raw 0-255 pixels instead of [-1, 1]).  Today: clean, because the training array is preallocated with np.zeros and filled image by image through a subscript write (`x[i] = picture`) in a loop: the write does not carry the images into the array, so x is unknown when it is fed to fit.
import numpy as np
import tensorflow as tf
from tensorflow.keras.applications import MobileNetV2
from tensorflow.keras.utils import img_to_array, load_img

paths = ["petals/rose_1.jpg", "petals/tulip_1.jpg"]
x = np.zeros((len(paths), 160, 160, 3), dtype="float32")
for i, path in enumerate(paths):
    x[i] = img_to_array(load_img(path, target_size=(160, 160)))

backbone = MobileNetV2(weights="imagenet", include_top=False, pooling="avg", input_shape=(160, 160, 3))
classifier = tf.keras.Sequential([backbone, tf.keras.layers.Dense(2, activation="softmax")])
classifier.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
classifier.fit(x, np.array([0, 1]), epochs=1)
