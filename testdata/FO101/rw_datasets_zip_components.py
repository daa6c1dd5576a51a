# FO101: Dataset.zip keeps the decoded image component; ResNet101V2 gets flipped raw pixels.
import tensorflow as tf

image_paths = tf.data.Dataset.list_files("shots/*.png", shuffle=False)
images = image_paths.map(lambda p: tf.image.resize(tf.io.decode_png(tf.io.read_file(p), channels=3), (224, 224)))
labels = tf.data.Dataset.from_tensor_slices(tf.constant([0, 1, 2, 1]))
pairs = tf.data.Dataset.zip((images, labels))
pairs = pairs.map(lambda img, lab: (tf.image.random_flip_left_right(img), lab)).batch(4)

trunk = tf.keras.applications.ResNet101V2(include_top=False, weights="imagenet", pooling="avg")
clf = tf.keras.Sequential([trunk, tf.keras.layers.Dense(3)])
clf.fit(pairs, epochs=1)
