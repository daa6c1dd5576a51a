# The backbone is a global bound under `if __name__ == "__main__":` and used by a function the
# guard calls: the script runs that branch, so VGG19 gets the rescale=1/255 batches (FO101).
import numpy as np
from tensorflow.keras.applications import VGG19
from tensorflow.keras.preprocessing.image import ImageDataGenerator


def extract(directory):
    batches = ImageDataGenerator(rescale=1.0 / 255, horizontal_flip=True).flow_from_directory(directory)
    for images, labels in batches:
        np.save("features.npy", trunk.predict(images))


if __name__ == "__main__":
    trunk = VGG19(weights="imagenet", include_top=False)
    extract("data/train")
