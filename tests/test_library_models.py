"""Library calls the catalogue models as data (catalog/api.py, analysis/names.py): each with a
buggy script and its corrected twin, so an entry that made everything a finding fails too."""

from __future__ import annotations

import pytest

from fixorder.run.engine import Options, check_source

KERAS_PREPROCESSING = """\
from keras_preprocessing.image import ImageDataGenerator
from keras.applications.resnet50 import ResNet50, preprocess_input

gen = ImageDataGenerator(horizontal_flip=True, {scaling})
flow = gen.flow_from_directory("data/train", target_size=(224, 224))
model = ResNet50(weights="imagenet")
model.fit(flow, epochs=1)
"""

OPENCV = """\
import cv2
import numpy as np
from tensorflow.keras.applications import Xception
from tensorflow.keras.applications.xception import preprocess_input


def load(path):
    image = cv2.resize(cv2.imread(path), (299, 299))
    image = cv2.{op}
    return {scaling}


x = np.expand_dims(load("a.jpg"), axis=0)
model = Xception(weights="imagenet")
model.predict(x)
model.fit(x, np.zeros((1, 1000)), epochs=1)
"""

OPS = ["flip(image, 1)", "rotate(image, cv2.ROTATE_90_CLOCKWISE)", "transpose(image)", "GaussianBlur(image, (5, 5), 0)",
       "blur(image, (3, 3))", "medianBlur(image, 3)", "warpAffine(image, np.eye(2, 3), (299, 299))",
       "warpPerspective(image, np.eye(3), (299, 299))"]


def codes(source: str) -> list[str]:
    result = check_source("train.py", source, Options())
    assert result.error is None
    return [f.code for f in result.findings]


@pytest.mark.parametrize("scaling, expected", [("rescale=1.0 / 255", ["FO101"]),
                                               ("preprocessing_function=preprocess_input", [])])
def test_the_standalone_keras_preprocessing_package_is_keras_preprocessing(scaling, expected):
    assert codes(KERAS_PREPROCESSING.format(scaling=scaling)) == expected


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("scaling, expected", [("image / 255.0", ["FO101"]),
                                               ("preprocess_input(image.astype(np.float32))", [])])
def test_opencv_range_keeping_ops_pass_the_image_through(op, scaling, expected):
    assert codes(OPENCV.format(op=op, scaling=scaling)) == expected
