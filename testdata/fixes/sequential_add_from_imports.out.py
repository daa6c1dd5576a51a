# A Sequential model assembled with .add(): augmentation, then ResNet50V2 (tf mode) with nothing between.
from tensorflow.keras import Sequential
from tensorflow.keras.applications import ResNet50V2
from tensorflow.keras.layers import Dense, GlobalAveragePooling2D, RandomFlip, RandomZoom, Rescaling

model = Sequential()
model.add(RandomFlip("horizontal", input_shape=(224, 224, 3)))
model.add(RandomZoom(0.1))
model.add(Rescaling(1 / 127.5, offset=-1))
model.add(ResNet50V2(include_top=False))
model.add(GlobalAveragePooling2D())
model.add(Dense(10))
