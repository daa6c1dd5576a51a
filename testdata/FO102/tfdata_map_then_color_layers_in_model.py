# B2: the dataset is preprocessed in .map, the model then applies colour augmentation.
import tensorflow as tf
from tensorflow.keras.applications import mobilenet_v2

train = tf.keras.utils.image_dataset_from_directory("data/train")
train = train.map(lambda x, y: (mobilenet_v2.preprocess_input(x), y))
model = tf.keras.Sequential([
    tf.keras.Input((224, 224, 3)),
    tf.keras.layers.RandomFlip(),
    tf.keras.layers.RandomContrast(0.3),
    tf.keras.layers.RandomBrightness(0.2),
    mobilenet_v2.MobileNetV2(include_top=False, weights="imagenet"),
])
model.fit(train)
