"""Predicts on photos listed by a helper module of its repository, which is not here.  In the
pipeline's slice the helper is an inert stand-in that lists nothing, so no data reaches ResNet50.
Expected: UNVERIFIED (no data reached it), not a verdict on an assumed raw batch."""
import numpy as np
from keras.applications.resnet50 import ResNet50, preprocess_input
from keras.preprocessing import image

from photo_index.listing import list_photos  # the repository's own package


def to_batch(path):
    pixels = image.img_to_array(image.load_img(path, target_size=(64, 64)))
    return np.expand_dims(pixels, axis=0)


def classify(path):
    return np.argmax(classifier.predict(preprocess_input(to_batch(path))))


if __name__ == "__main__":
    classifier = ResNet50(weights="imagenet")
    print([classify(p) for p in list_photos(limit=3)])
