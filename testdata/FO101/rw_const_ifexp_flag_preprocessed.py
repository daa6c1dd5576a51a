import tensorflow as tf

prep = tf.keras.applications.xception.preprocess_input


def to_model_range(image, label):
    return prep(tf.cast(image, tf.float32)), label


def jitter(image, label):
    image = tf.image.random_flip_up_down(image)
    return to_model_range(image, label)


def loader(folder, augment=False):
    ds = tf.keras.utils.image_dataset_from_directory(folder, image_size=(299, 299))
    return ds.map(jitter if augment else to_model_range)


net = tf.keras.Sequential([
    tf.keras.applications.Xception(include_top=False, weights="imagenet", input_shape=(299, 299, 3), pooling="avg"),
    tf.keras.layers.Dense(3),
])
net.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
net.fit(loader("dogs", augment=True), validation_data=loader("dogs_val"))
