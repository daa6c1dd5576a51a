# Augmentation that is only plotted never reaches a backbone; the model gets preprocessed data.
import matplotlib.pyplot as plt
import tensorflow as tf

augment = tf.keras.Sequential([tf.keras.layers.RandomFlip(), tf.keras.layers.RandomRotation(0.2)])
ds = tf.keras.utils.image_dataset_from_directory("data/train", image_size=(160, 160))
for images, _ in ds.take(1):
    plt.imshow(augment(images)[0] / 255.0)

base = tf.keras.applications.MobileNetV2(include_top=False, weights="imagenet")
ds = ds.map(lambda x, y: (tf.keras.applications.mobilenet_v2.preprocess_input(x), y))
model = tf.keras.Sequential([base, tf.keras.layers.GlobalAveragePooling2D(), tf.keras.layers.Dense(2)])
model.fit(ds)
