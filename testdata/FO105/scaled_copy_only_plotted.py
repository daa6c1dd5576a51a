# Negative: the scaled copy is only displayed; EfficientNet gets the raw batch.
import matplotlib.pyplot as plt
import keras

ds = keras.utils.image_dataset_from_directory("data")
base = keras.applications.EfficientNetB0(include_top=False, weights="imagenet")
for images, _ in ds.take(1):
    plt.imshow(images[0] / 255.0)
    features = base(images)
