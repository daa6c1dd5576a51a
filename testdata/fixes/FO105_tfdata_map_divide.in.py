# A .map that only scales: the whole map goes.
import tensorflow as tf

ds = tf.keras.utils.image_dataset_from_directory("data", image_size=(224, 224))
ds = ds.map(lambda x, y: (x / 255.0, y))
inputs = tf.keras.Input((224, 224, 3))
outputs = tf.keras.applications.EfficientNetV2B0(include_top=False, pooling="avg", weights="imagenet")(inputs)
model = tf.keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(ds)
