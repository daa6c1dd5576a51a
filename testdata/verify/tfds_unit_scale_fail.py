"""Loads its data with tensorflow_datasets and scales it to [0, 1] for MobileNetV2.
Expected: FAIL ([0, 1] into a [-1, 1] model), on synthetic uint8 examples of the real features."""
import tensorflow as tf
import tensorflow_datasets as tfds

train, info = tfds.load("cats_vs_dogs", split=tfds.Split.TRAIN, with_info=True, as_supervised=True)
num_classes = info.features["label"].num_classes


def to_unit(image, label):
    image = tf.image.resize(image, (32, 32)) / 255.0
    return image, tf.one_hot(label, num_classes)


train = train.map(to_unit).batch(8)
base = tf.keras.applications.MobileNetV2(include_top=False, alpha=0.35, input_shape=(32, 32, 3))
model = tf.keras.Sequential([base, tf.keras.layers.GlobalAveragePooling2D(),
                             tf.keras.layers.Dense(num_classes, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(train, epochs=3)
