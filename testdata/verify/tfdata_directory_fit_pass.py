"""tf.data from image_dataset_from_directory, augmentation and preprocessing in .map, model.fit.

"data/train" does not exist next to this script: verify generates it.  Expected: PASS.
"""
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

train_ds = keras.utils.image_dataset_from_directory(
    "data/train", image_size=(32, 32), batch_size=4, validation_split=0.25, subset="training", seed=1)
val_ds = keras.utils.image_dataset_from_directory(
    "data/train", image_size=(32, 32), batch_size=4, validation_split=0.25, subset="validation", seed=1)
num_classes = len(train_ds.class_names)

augment = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomContrast(0.2)])
preprocess = keras.applications.mobilenet_v2.preprocess_input

train_ds = train_ds.map(lambda x, y: (augment(x, training=True), y)).map(lambda x, y: (preprocess(x), y))
val_ds = val_ds.map(lambda x, y: (preprocess(x), y))

base = keras.applications.MobileNetV2(input_shape=(32, 32, 3), alpha=0.35, include_top=False)
base.trainable = False
model = keras.Sequential([base, layers.GlobalAveragePooling2D(), layers.Dense(num_classes)])
model.compile(optimizer="adam",
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
model.fit(train_ds, validation_data=val_ds, epochs=20)
