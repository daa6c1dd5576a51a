# MobileNetV3 without its built-in Rescaling expects [-1, 1]; the inserted layer makes the
# call too long for a file of short lines.
import tensorflow as tf

inputs = tf.keras.Input((224, 224, 3))
base = tf.keras.applications.MobileNetV3Small(include_top=False, include_preprocessing=False)
backbone_features = base(
    tf.keras.layers.Rescaling(1 / 127.5, offset=-1)(inputs), training=False
)
model = tf.keras.Model(inputs, tf.keras.layers.GlobalAveragePooling2D()(backbone_features))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(tf.keras.utils.image_dataset_from_directory("data", image_size=(224, 224)))
