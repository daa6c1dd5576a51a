# DenseNet121 in a Sequential list written on aligned lines: the Normalization layer joins them.
from tensorflow import keras

model = keras.Sequential([keras.Input(shape=(224, 224, 3)), keras.layers.RandomFlip("horizontal"),
                          keras.layers.Normalization(
                              mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
                              variance=[(0.229 * 255) ** 2, (0.224 * 255) ** 2,
                                        (0.225 * 255) ** 2]),
                          keras.applications.DenseNet121(include_top=False, weights="imagenet"),
                          keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(4)])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(keras.utils.image_dataset_from_directory("data/train", image_size=(224, 224)))
