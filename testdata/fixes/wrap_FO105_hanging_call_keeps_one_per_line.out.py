# Hanging style: removing the keyword keeps one argument per line.
from tensorflow.keras.applications import efficientnet
from tensorflow.keras.preprocessing.image import ImageDataGenerator

train_datagen = ImageDataGenerator(
    rotation_range=20,
    horizontal_flip=True,
)
model = efficientnet.EfficientNetB3(
    weights="imagenet", include_top=False, input_shape=(300, 300, 3), pooling="avg"
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(train_datagen.flow_from_directory("data/train", target_size=(300, 300), class_mode="sparse"))
