# MobileNetV3 without its built-in Rescaling expects [-1, 1].
import tensorflow as tf

inputs = tf.keras.Input((224, 224, 3))
base = tf.keras.applications.MobileNetV3Large(include_top=False, include_preprocessing=False)
x = base(tf.keras.layers.Rescaling(1 / 127.5, offset=-1)(inputs), training=False)
outputs = tf.keras.layers.Dense(2)(tf.keras.layers.GlobalAveragePooling2D()(x))
model = tf.keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(tf.keras.utils.image_dataset_from_directory("data", image_size=(224, 224)))
