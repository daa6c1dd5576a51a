# A model built from base.input / base.output: raw images go straight into the backbone.
import tensorflow as tf

base = tf.keras.applications.InceptionV3(include_top=False, weights="imagenet")
x = tf.keras.layers.GlobalAveragePooling2D()(base.output)
outputs = tf.keras.layers.Dense(4, activation="softmax")(x)
model = tf.keras.Model(inputs=base.input, outputs=outputs)
