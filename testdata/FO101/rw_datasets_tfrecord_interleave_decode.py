# FO101: shards listed with list_files, read through interleave(TFRecordDataset), decoded and divided by 255;
# MobileNetV2 wants [-1, 1].
import tensorflow as tf

FEATURES = {"image/encoded": tf.io.FixedLenFeature([], tf.string), "label": tf.io.FixedLenFeature([], tf.int64)}


def parse(serialized):
    example = tf.io.parse_single_example(serialized, FEATURES)
    image = tf.io.decode_image(example["image/encoded"], channels=3, expand_animations=False)
    image = tf.image.resize(image, (224, 224)) / 255.0
    return image, example["label"]


shards = tf.data.Dataset.list_files("gs://bucket/train-*.tfrecord")
records = shards.interleave(tf.data.TFRecordDataset, cycle_length=4)
train = records.map(parse).shuffle(512).batch(64)

mobilenet = tf.keras.applications.MobileNetV2(include_top=False, weights="imagenet", input_shape=(224, 224, 3))
model = tf.keras.Sequential([
    tf.keras.layers.RandomFlip("horizontal"),
    mobilenet,
    tf.keras.layers.GlobalAveragePooling2D(),
    tf.keras.layers.Dense(5),
])
model.fit(train, epochs=3)
