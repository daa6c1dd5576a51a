import tensorflow as tf


def decode(img, lbl):
    img = tf.image.random_flip_left_right(img)
    img = tf.cast(img, tf.float32)
    img /= 127.5
    img -= 1.0
    return img, lbl


ds = tf.keras.utils.image_dataset_from_directory("paintings", image_size=(299, 299)).map(decode)
clf = tf.keras.Sequential([
    tf.keras.applications.InceptionResNetV2(include_top=False, weights="imagenet", input_shape=(299, 299, 3)),
    tf.keras.layers.GlobalAveragePooling2D(),
    tf.keras.layers.Dense(11),
])
clf.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
clf.fit(ds)
