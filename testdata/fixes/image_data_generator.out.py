# ImageDataGenerator augments on the fly but nothing preprocesses for InceptionResNetV2.
from tensorflow.keras.applications import InceptionResNetV2
from tensorflow.keras.layers import Dense, GlobalAveragePooling2D, Input, Rescaling
from tensorflow.keras.models import Sequential
from tensorflow.keras.preprocessing.image import ImageDataGenerator

datagen = ImageDataGenerator(rotation_range=20, horizontal_flip=True, zoom_range=0.1)
train_gen = datagen.flow_from_directory("data/train", target_size=(299, 299), class_mode="categorical")

model = Sequential([Input(shape=(299, 299, 3)), Rescaling(1 / 127.5, offset=-1),
                    InceptionResNetV2(include_top=False, input_shape=(299, 299, 3)), GlobalAveragePooling2D(),
                    Dense(train_gen.num_classes, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(train_gen, epochs=3)
