# The tf-mode layer Rescaling(1/127.5, offset=-1) feeds DenseNet121, which expects torch mode.
import keras
from keras import layers

model = keras.Sequential([
    keras.Input((224, 224, 3)),
    layers.Normalization(
        mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
        variance=[(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2],
    ),
    keras.applications.DenseNet121(include_top=False, pooling="avg", weights="imagenet"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(keras.utils.image_dataset_from_directory("data", image_size=(224, 224)))
