"""The tf.data + fit pipeline with augmentation in .map but no preprocess_input.  Expected: FAIL."""
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


def augment(image, label):
    image = tf.image.random_flip_left_right(image)
    image = tf.image.random_brightness(image, 0.1)
    return image, label


train_ds = tf.keras.preprocessing.image_dataset_from_directory("data/train", image_size=(32, 32), batch_size=4)
train_ds = train_ds.map(augment, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)

base = keras.applications.MobileNetV2(input_shape=(32, 32, 3), alpha=0.35, include_top=False)
base.trainable = False  # frozen: a cheaper training step, the same input reaches it
model = keras.Sequential([base, layers.GlobalAveragePooling2D(), layers.Dense(2)])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(train_ds, epochs=10)
