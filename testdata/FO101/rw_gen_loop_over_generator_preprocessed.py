import tensorflow as tf


def stream(folder):
    ds = tf.keras.utils.image_dataset_from_directory(folder, image_size=(224, 224))
    for images, labels in ds:
        yield tf.keras.applications.vgg19.preprocess_input(tf.image.random_flip_left_right(images)), labels


encoder = tf.keras.applications.VGG19(include_top=False, weights="imagenet", pooling="avg")
for batch, _ in stream("fabric"):
    codes = encoder(batch, training=False)
first, _ = next(stream("fabric_val"))
val_codes = encoder(first)
