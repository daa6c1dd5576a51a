# ImageDataGenerator with preprocessing_function=preprocess_input (Keras runs it after the augmentation): clean.
from tensorflow.keras.applications import InceptionResNetV2
from tensorflow.keras.applications.inception_resnet_v2 import preprocess_input
from tensorflow.keras.layers import Dense, GlobalAveragePooling2D
from tensorflow.keras.models import Sequential
from tensorflow.keras.preprocessing.image import ImageDataGenerator

datagen = ImageDataGenerator(rotation_range=20, horizontal_flip=True, preprocessing_function=preprocess_input)
train_gen = datagen.flow_from_directory("data/train", target_size=(299, 299), class_mode="categorical")

model = Sequential([InceptionResNetV2(include_top=False, input_shape=(299, 299, 3)), GlobalAveragePooling2D(),
                    Dense(train_gen.num_classes, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(train_gen, epochs=3)
