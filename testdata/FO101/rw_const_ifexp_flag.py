import tensorflow as tf


def to_unit(image, label):
    return tf.cast(image, tf.float32) / 255.0, label


def jitter_to_unit(image, label):
    image = tf.image.random_flip_up_down(image)
    return to_unit(image, label)


def loader(folder, augment=False):
    ds = tf.keras.utils.image_dataset_from_directory(folder, image_size=(299, 299))
    return ds.map(jitter_to_unit if augment else to_unit)


net = tf.keras.Sequential([
    tf.keras.applications.Xception(include_top=False, weights="imagenet", input_shape=(299, 299, 3), pooling="avg"),
    tf.keras.layers.Dense(3),
])
net.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
net.fit(loader("dogs", augment=True), validation_data=loader("dogs_val"))
