import tensorflow as tf

SCALE = (1.0 / 127.5, -1.0)

model = tf.keras.Sequential([
    tf.keras.layers.RandomZoom(0.1),
    tf.keras.layers.Rescaling(*SCALE),
    tf.keras.applications.MobileNet(include_top=False, weights="imagenet", input_shape=(128, 128, 3)),
    tf.keras.layers.GlobalAveragePooling2D(),
    tf.keras.layers.Dense(7),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(tf.keras.utils.image_dataset_from_directory("signs", image_size=(128, 128)))
