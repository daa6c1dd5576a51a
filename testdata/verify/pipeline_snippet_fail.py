"""A notebook-style script that never runs as a whole: a data directory that is not there, a TPU
resolver, a plot, a helper from another notebook.  Its pipeline (image_dataset_from_directory,
an augmenting map, MobileNetV2, fit) runs as a slice.  Expected: FAIL (raw 0..255 reaches
MobileNetV2), and UNVERIFIED with --whole-script."""
import os

import matplotlib.pyplot as plt
import tensorflow as tf
from tensorflow import keras

DATA_DIR = "/kaggle/input/flowers-recognition"
IMG = 32
class_names = sorted(os.listdir(DATA_DIR))
print(f"{len(class_names)} classes")


def augment(image, label):
    image = tf.image.random_flip_left_right(image)
    return image, label


train_ds = keras.utils.image_dataset_from_directory(os.path.join(DATA_DIR, "train"), image_size=(IMG, IMG),
                                                    batch_size=4)
train_ds = train_ds.map(augment)

resolver = tf.distribute.cluster_resolver.TPUClusterResolver()
tf.config.experimental_connect_to_cluster(resolver)

for images, labels in train_ds.take(1):
    plt.imshow(images[0].numpy().astype("uint8"))
show_samples_from_the_previous_notebook(train_ds)

base = keras.applications.MobileNetV2(input_shape=(IMG, IMG, 3), alpha=0.35, include_top=False)
base.trainable = False
model = keras.Sequential([base, keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(5)])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
history = model.fit(train_ds, epochs=3)
plt.plot(history.history["loss"])
