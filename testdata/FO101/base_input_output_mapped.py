# base.input / base.output, fed a dataset that applies inception_v3.preprocess_input: clean.
import tensorflow as tf
from tensorflow.keras.applications.inception_v3 import preprocess_input

train = tf.keras.utils.image_dataset_from_directory("data/train", image_size=(299, 299))
train = train.map(lambda x, y: (preprocess_input(x), y))
base = tf.keras.applications.InceptionV3(include_top=False, weights="imagenet")
x = tf.keras.layers.GlobalAveragePooling2D()(base.output)
outputs = tf.keras.layers.Dense(4, activation="softmax")(x)
model = tf.keras.Model(inputs=base.input, outputs=outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(train, epochs=3)
