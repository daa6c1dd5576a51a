# Visual (aligned) style: a removed rescale= keeps the other line breaks.
from tensorflow.keras.applications.efficientnet import EfficientNetB0
from tensorflow.keras.preprocessing.image import ImageDataGenerator

train_datagen = ImageDataGenerator(rotation_range=20, width_shift_range=0.1,
                                   height_shift_range=0.1, horizontal_flip=True)
model = EfficientNetB0(weights="imagenet", include_top=False, input_shape=(224, 224, 3), pooling="avg")
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(train_datagen.flow_from_directory("data/train", target_size=(224, 224), class_mode="sparse"))
