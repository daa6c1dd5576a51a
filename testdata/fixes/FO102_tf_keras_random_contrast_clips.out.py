# tf_keras' RandomContrast has no value_range and clips to [0, 255].
import tf_keras
from tf_keras.applications import xception

model = tf_keras.Sequential([
    tf_keras.layers.Input((299, 299, 3)),
    tf_keras.layers.RandomContrast(0.2),
    tf_keras.layers.Lambda(xception.preprocess_input),
    xception.Xception(include_top=False, pooling="avg", weights="imagenet"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(tf_keras.utils.image_dataset_from_directory("data", image_size=(299, 299)))
