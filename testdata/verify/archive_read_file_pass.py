"""Downloads a dataset archive, lists its class folders, decodes the files with tf.io.read_file,
and predicts one sample image that is not here.  Expected: PASS (preprocess_input, generated data)."""
import os

import tensorflow as tf

archive = tf.keras.utils.get_file("pets.zip", origin="https://example.invalid/pets.zip", extract=True)
root = os.path.join(os.path.dirname(archive), "pets", "train")
paths, labels = [], []
for index, name in enumerate(sorted(os.listdir(root))):
    for file_name in os.listdir(os.path.join(root, name)):
        paths.append(os.path.join(root, name, file_name))
        labels.append(index)


def load(path, label):
    image = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
    image = tf.image.resize(image, (40, 40))
    return tf.keras.applications.mobilenet_v2.preprocess_input(image), label


data = tf.data.Dataset.from_tensor_slices((paths, labels)).map(load).batch(4)
base = tf.keras.applications.MobileNetV2(include_top=False, alpha=0.35, input_shape=(40, 40, 3))
model = tf.keras.Sequential([base, tf.keras.layers.GlobalAveragePooling2D(), tf.keras.layers.Dense(2)])
model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(data, epochs=2)

sample = tf.io.decode_image(tf.io.read_file("samples/my_cat.jpg"), channels=3, expand_animations=False)
sample = tf.image.resize(sample, (40, 40))[tf.newaxis]
print(model.predict(tf.keras.applications.mobilenet_v2.preprocess_input(sample)))
