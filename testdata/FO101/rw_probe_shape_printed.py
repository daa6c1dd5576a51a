# A raw batch goes through the backbone only to print the feature map's shape; the trained
# model preprocesses after augmenting: clean (the probe is not a pipeline).
import tensorflow as tf

train = tf.keras.utils.image_dataset_from_directory("leaves", image_size=(224, 224))
trunk = tf.keras.applications.MobileNetV2(include_top=False, input_shape=(224, 224, 3))

batch, _ = next(iter(train))
print(trunk(batch).shape)
fmap = trunk.predict(batch)
print("features:", fmap.shape, fmap.dtype)
print(f"{len(fmap)} maps")

flip = tf.keras.layers.RandomFlip("horizontal")
inputs = tf.keras.Input(shape=(224, 224, 3))
x = tf.keras.applications.mobilenet_v2.preprocess_input(flip(inputs))
x = tf.keras.layers.GlobalAveragePooling2D()(trunk(x))
model = tf.keras.Model(inputs, tf.keras.layers.Dense(3)(x))
model.fit(train)
