"""Lists of images and arrays filled by index (analysis/containers.py): a list or array whose
elements all carry one image flow is that flow; anything unknown put into it makes it unknown.
Each test runs the real check on a small script fed to a caffe-mode ResNet50 (raw pixels there
are FO101) and checks the verdict."""

from __future__ import annotations

import textwrap

import pytest

from fixorder.run.engine import Options, check_source

HEAD = '''
import cv2
import numpy as np
import tensorflow as tf
from sklearn.model_selection import train_test_split
from tensorflow.keras.utils import img_to_array, load_img
from elsewhere import mystery

paths = open("list.txt").read().split()
'''
MODEL = '''
base = tf.keras.applications.ResNet50(weights="imagenet", include_top=False, pooling="avg")
model = tf.keras.Sequential([base, tf.keras.layers.Dense(2)])
model.fit(x, np.zeros(len(paths)))
'''


def _codes(body: str) -> list[str]:
    source = HEAD + textwrap.dedent(body) + MODEL
    result = check_source("case.py", source, Options())
    assert result.error is None
    return [f.code for f in result.findings]


RAW_CASES = {
    "append in a loop, np.array": '''
        images = []
        for p in paths:
            images.append(cv2.imread(p))
        x = np.array(images)
    ''',
    "append in an unrolled loop (one expression, two items)": '''
        images = []
        for p in ["a.png", "b.png"]:
            images.append(cv2.imread(p))
        x = np.stack(images)
    ''',
    "extend": '''
        images = []
        for p in paths:
            images.extend([cv2.imread(p)])
        x = np.asarray(images, dtype="float32")
    ''',
    "+=": '''
        images = []
        for p in paths:
            images += [cv2.imread(p)]
        x = tf.stack(images)
    ''',
    "a list of batches concatenated": '''
        batches = []
        for p in paths:
            frames = [cv2.imread(f) for f in open(p)]
            batches.append(np.array(frames))
        x = np.concatenate(batches)
    ''',
    "a comprehension split by train_test_split and sliced into a dataset": '''
        images = [img_to_array(load_img(p)) for p in paths]
        x_train, x_val = train_test_split(images)
        x = tf.data.Dataset.from_tensor_slices(x_train).batch(4)
    ''',
    "a list iterated with zip, appended again": '''
        images = [cv2.imread(p) for p in paths]
        kept = []
        for image, p in zip(images, paths):
            kept.append(image)
        x = np.array(kept)
    ''',
    "np.zeros float64 filled by index": '''
        x = np.zeros((len(paths), 224, 224, 3))
        for i, p in enumerate(paths):
            x[i] = cv2.imread(p)
    ''',
    "np.empty uint8 filled with uint8 images": '''
        x = np.empty((len(paths), 224, 224, 3), dtype="uint8")
        for i, p in enumerate(paths):
            x[i, :, :, :] = cv2.imread(p)
    ''',
    "np.uint8 of a uint8 image": '''
        x = np.expand_dims(np.uint8(cv2.imread(paths[0])), 0)
    ''',
}
UNKNOWN_CASES = {
    "an unknown element appended": '''
        images = []
        for p in paths:
            images.append(cv2.imread(p))
            images.append(mystery(p))
        x = np.array(images)
    ''',
    "extended by something not known to be a list": '''
        images = [cv2.imread(paths[0])]
        images.extend(mystery())
        x = np.array(images)
    ''',
    "an empty list stacked": '''
        images = []
        x = np.array(images)
    ''',
    "two reads of the same file by two expressions (two sources: not guessed one)": '''
        images = []
        for p in paths:
            images.append(cv2.imread(p))
            images.append(cv2.imread(p))
        x = np.array(images)
    ''',
    "images from two different sources": '''
        images = [cv2.imread(paths[0]), img_to_array(load_img(paths[1]))]
        x = np.array(images)
    ''',
    "a list mutated through an alias": '''
        images = []
        alias = images
        for p in paths:
            alias.append(cv2.imread(p))
        x = np.array(images)
    ''',
    "np.zeros never written": '''
        x = np.zeros((1, 224, 224, 3))
    ''',
    "a float image written into a uint8 array": '''
        x = np.zeros((len(paths), 224, 224, 3), dtype=np.uint8)
        for i, p in enumerate(paths):
            x[i] = img_to_array(load_img(p))
    ''',
    "an unknown value written into the array": '''
        x = np.zeros((len(paths), 224, 224, 3))
        for i, p in enumerate(paths):
            x[i] = cv2.imread(p)
            x[i] = mystery(p)
    ''',
    "np.uint8 of a float image (truncated)": '''
        x = np.expand_dims(np.uint8(img_to_array(load_img(paths[0]))), 0)
    ''',
}


@pytest.mark.parametrize("body", RAW_CASES.values(), ids=RAW_CASES)
def test_images_gathered_into_a_list_or_array_keep_their_flow(body: str) -> None:
    assert _codes(body) == ["FO101"]


@pytest.mark.parametrize("body", UNKNOWN_CASES.values(), ids=UNKNOWN_CASES)
def test_anything_unknown_in_the_list_or_array_makes_it_unknown(body: str) -> None:
    assert _codes(body) == []


def test_a_literal_list_grown_on_a_straight_path_stays_exact() -> None:
    """``stack.append(head)`` after ``stack = [base]`` is the literal list ``[base, head]``: a loop
    over it unrolls and adds each layer (a ListOf of two different layers would be unknown)."""
    source = HEAD + textwrap.dedent('''
        base = tf.keras.applications.ResNet50(weights="imagenet", include_top=False, pooling="avg")
        stack = [base]
        stack.append(tf.keras.layers.Dense(2))
        model = tf.keras.Sequential()
        for layer in stack:
            model.add(layer)
        model.fit(np.array([cv2.imread(p) for p in paths]), np.zeros(2))
    ''')
    assert [f.code for f in check_source("case.py", source, Options()).findings] == ["FO101"]


def _messages(body: str) -> list[str]:
    return [f.message for f in check_source("case.py", HEAD + textwrap.dedent(body) + MODEL, Options()).findings]


def test_the_written_images_take_the_arrays_dtype() -> None:
    """np.zeros is float64: a uint8 image written into it is float64 0..255, so
    tf.image.convert_image_dtype only casts it; written into a uint8 array it is divided by 255."""
    body = '''
        x = np.zeros((len(paths), 224, 224, 3))
        for i, p in enumerate(paths):
            x[i] = cv2.imread(p)
        x = tf.image.convert_image_dtype(x, tf.float32)
    '''
    [float64] = _messages(body)
    assert "receives raw pixels [0, 255] from imread" in float64
    [uint8] = _messages(body.replace("np.zeros((len(paths), 224, 224, 3))",
                                     'np.zeros((len(paths), 224, 224, 3), dtype="uint8")'))
    assert "receives [0, 1] after convert_image_dtype" in uint8
