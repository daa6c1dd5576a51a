# FO101 only: x / 255 replaces InceptionResNetV2's tf-mode preprocessing; RandomBrightness after it is
# judged as if the scaling were gone (the same defect is not reported twice).
import tensorflow as tf


def scale(img, lab):
    return tf.cast(img, tf.float32) / 255.0, lab


train = tf.keras.utils.image_dataset_from_directory("rocks", image_size=(299, 299)).map(scale)
augment = tf.keras.Sequential([tf.keras.layers.RandomFlip(), tf.keras.layers.RandomBrightness(0.3)])
inputs = tf.keras.Input((299, 299, 3))
features = tf.keras.applications.InceptionResNetV2(include_top=False, weights="imagenet")(augment(inputs))
model = tf.keras.Model(inputs, tf.keras.layers.Dense(4)(tf.keras.layers.GlobalAveragePooling2D()(features)))
model.fit(train)
