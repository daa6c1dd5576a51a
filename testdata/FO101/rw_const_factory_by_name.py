import tensorflow as tf
from tensorflow.keras import layers
from tensorflow.keras.applications import VGG16, MobileNetV2


def build(kind="mobilenet", size=192):
    if kind == "vgg":
        base = VGG16(include_top=False, weights="imagenet", input_shape=(size, size, 3))
    elif kind == "mobilenet":
        base = MobileNetV2(include_top=False, weights="imagenet", input_shape=(size, size, 3))
    else:
        raise ValueError(kind)
    return tf.keras.Sequential([
        layers.RandomFlip("horizontal"),
        layers.Rescaling(1.0 / 255),
        base,
        layers.GlobalAveragePooling2D(),
        layers.Dense(4),
    ])


BACKBONE = "mobilenet"
clf = build(BACKBONE)
clf.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
clf.fit(tf.keras.utils.image_dataset_from_directory("birds", image_size=(192, 192)))
