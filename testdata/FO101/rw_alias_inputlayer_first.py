import tensorflow as tf
from tensorflow.keras import layers

model = tf.keras.Sequential([
    layers.InputLayer(input_shape=(224, 224, 3)),
    layers.RandomRotation(0.1),
    tf.keras.applications.ResNet152V2(include_top=False, weights="imagenet", pooling="avg"),
    layers.Dense(8),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(tf.keras.utils.image_dataset_from_directory("cells", image_size=(224, 224)))
