# tf.data: augmentation in .map(lambda ...), model trained on the dataset with fit().
import tensorflow as tf

augment = tf.keras.Sequential([tf.keras.layers.RandomFlip("horizontal"), tf.keras.layers.RandomRotation(0.1)])
train_ds = tf.keras.utils.image_dataset_from_directory("data/train", image_size=(224, 224))
train_ds = train_ds.map(lambda x, y: (augment(x, training=True), y)).prefetch(tf.data.AUTOTUNE)

model = tf.keras.Sequential([
    tf.keras.Input(shape=(224, 224, 3)),
    tf.keras.applications.MobileNetV2(include_top=False, weights="imagenet"),
    tf.keras.layers.GlobalAveragePooling2D(),
    tf.keras.layers.Dense(2),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(train_ds, epochs=5)
