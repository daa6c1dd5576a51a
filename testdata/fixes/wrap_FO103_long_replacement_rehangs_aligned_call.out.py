# Wrong family in a long aligned call: the replacement is longer than what it replaces.
import tensorflow as tf

datagen = tf.keras.preprocessing.image.ImageDataGenerator(
    horizontal_flip=True, zoom_range=0.2,
    preprocessing_function=tf.keras.applications.mobilenet_v2.preprocess_input)
base = tf.keras.applications.MobileNetV2(include_top=False, weights="imagenet", input_shape=(96, 96, 3))
model = tf.keras.Sequential([base, tf.keras.layers.GlobalAveragePooling2D(), tf.keras.layers.Dense(3)])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(datagen.flow_from_directory("data", target_size=(96, 96), class_mode="sparse"))
