# A model built from base.input / base.output and trained on raw images: nothing preprocesses them.
import tensorflow as tf

train = tf.keras.utils.image_dataset_from_directory("data/train", image_size=(299, 299))
base = tf.keras.applications.InceptionV3(include_top=False, weights="imagenet")
x = tf.keras.layers.GlobalAveragePooling2D()(base.output)
outputs = tf.keras.layers.Dense(4, activation="softmax")(x)
model = tf.keras.Model(inputs=base.input, outputs=outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(train, epochs=3)
