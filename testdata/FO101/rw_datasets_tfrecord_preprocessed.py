# Clean: TFRecord images decoded and passed through mobilenet_v2.preprocess_input after the flip.
import tensorflow as tf
from tensorflow.keras.applications.mobilenet_v2 import MobileNetV2, preprocess_input

FEATURES = {"img": tf.io.FixedLenFeature([], tf.string), "cls": tf.io.FixedLenFeature([], tf.int64)}


def decode_record(raw):
    parsed = tf.io.parse_single_example(raw, FEATURES)
    pic = tf.image.decode_jpeg(parsed["img"], channels=3)
    pic = tf.image.random_flip_left_right(tf.image.resize(pic, (192, 192)))
    return preprocess_input(pic), parsed["cls"]


train = tf.data.TFRecordDataset(tf.io.gfile.glob("data/*.tfrec")).map(decode_record).batch(32)
net = tf.keras.Sequential([MobileNetV2(include_top=False, input_shape=(192, 192, 3)),
                           tf.keras.layers.GlobalAveragePooling2D(), tf.keras.layers.Dense(3)])
net.fit(train)
