# A feature extractor cut out of the backbone by layer: base.layers[0].input to an inner
# layer's output.  It is fed /255 images after a flip: MobileNetV2 wants [-1, 1] (FO101).
import tensorflow as tf
from tensorflow.keras import layers

base = tf.keras.applications.MobileNetV2(include_top=False, weights="imagenet", input_shape=(160, 160, 3))
trunk = tf.keras.Model(inputs=base.layers[0].input, outputs=base.get_layer("block_13_expand_relu").output)
head = tf.keras.Sequential([trunk, layers.GlobalAveragePooling2D(), layers.Dense(2)])

flip = layers.RandomFlip("horizontal")
train = tf.keras.utils.image_dataset_from_directory("pets", image_size=(160, 160))
train = train.map(lambda x, y: (flip(x) / 255.0, y))
head.fit(train, epochs=3)
