# Clean as far as fixorder can tell: a z-scored image rescaled afterwards has no range fixorder names,
# so nothing is guessed.
import tensorflow as tf


def standardize(img, label):
    img = tf.image.per_image_standardization(tf.image.random_flip_left_right(img))
    return img * 0.5, label


ds = tf.keras.utils.image_dataset_from_directory("cells", image_size=(224, 224)).map(standardize)
model = tf.keras.Sequential([
    tf.keras.applications.ResNet50V2(include_top=False, weights="imagenet", input_shape=(224, 224, 3)),
    tf.keras.layers.GlobalAveragePooling2D(),
    tf.keras.layers.Dense(2),
])
model.fit(ds)
