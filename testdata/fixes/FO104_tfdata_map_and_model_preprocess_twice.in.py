# B6: preprocess_input in the dataset map and again inside the model.
import tensorflow as tf
from tensorflow.keras.applications import mobilenet_v2

train = tf.keras.utils.image_dataset_from_directory("data", image_size=(224, 224))
train = train.map(lambda x, y: (mobilenet_v2.preprocess_input(x), y))

inputs = tf.keras.Input((224, 224, 3))
x = mobilenet_v2.preprocess_input(inputs)
x = mobilenet_v2.MobileNetV2(include_top=False, pooling="avg", weights="imagenet")(x)
model = tf.keras.Model(inputs, x)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(train)
