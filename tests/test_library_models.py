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


PIL_ENHANCE = """\
import numpy as np
from PIL import Image, ImageEnhance
from tensorflow.keras.applications import Xception
from tensorflow.keras.applications.xception import preprocess_input

image = Image.fromarray(np.asarray(Image.open("a.jpg")))
image = ImageEnhance.{enhancer}(image).enhance(1.2)
x = np.expand_dims({scaling}, axis=0)
model = Xception(weights="imagenet")
model.fit(x, np.zeros((1, 1000)), epochs=1)
"""


@pytest.mark.parametrize("enhancer", ["Brightness", "Contrast", "Color", "Sharpness"])
@pytest.mark.parametrize("scaling, expected", [("np.asarray(image, dtype=np.float32) / 255.0", ["FO101"]),
                                               ("preprocess_input(np.asarray(image, dtype=np.float32))", [])])
def test_pil_enhancers_are_augmentation_that_keeps_the_range(enhancer, scaling, expected):
    source = PIL_ENHANCE.format(enhancer=enhancer, scaling=scaling)
    assert codes(source) == expected
    if expected:
        [finding] = check_source("train.py", source, Options()).findings
        assert f"augmented by ImageEnhance.{enhancer}" in finding.message


def test_an_enhancer_of_something_unknown_is_unknown():
    source = PIL_ENHANCE.format(enhancer="Contrast", scaling="np.asarray(image) / 255.0").replace(
        'Image.open("a.jpg")', "load_somewhere()")
    assert codes(source) == []


VIDEO = """\
import cv2
import numpy as np
from tensorflow.keras.applications import Xception
from tensorflow.keras.applications.xception import preprocess_input

capture = cv2.VideoCapture("clip.mp4")
fps = capture.get(cv2.CAP_PROP_FPS)
ok, frame = capture.{read}
x = np.expand_dims({scaling}, axis=0)
model = Xception(weights="imagenet")
model.fit(x, np.zeros((1, 1000)), epochs=1)
"""


@pytest.mark.parametrize("read", ["read()", "retrieve()"])
@pytest.mark.parametrize("scaling, expected", [("cv2.resize(frame, (299, 299))", ["FO101"]),
                                               ("preprocess_input(frame.astype(np.float32))", [])])
def test_video_capture_frames_are_raw_pixels(read, scaling, expected):
    assert codes(VIDEO.format(read=read, scaling=scaling)) == expected


def test_other_video_capture_methods_give_no_image():
    assert codes(VIDEO.format(read="grab()", scaling="cv2.resize(frame, (299, 299))")) == []
