from tensorflow.keras.applications import MobileNetV2
from tensorflow.keras.layers import Dense, GlobalAveragePooling2D
from tensorflow.keras.models import Model
from tensorflow.keras.preprocessing.image import ImageDataGenerator


def caffe_style(x):
    x = x[:, :, ::-1]
    x[:, :, 2] -= 123.68
    x[:, :, 0] -= 103.939
    x[:, :, 1] -= 116.779
    return x


trunk = MobileNetV2(include_top=False, weights="imagenet", input_shape=(224, 224, 3))
model = Model(trunk.input, Dense(3)(GlobalAveragePooling2D()(trunk.output)))
model.compile(optimizer="sgd", loss="categorical_crossentropy")
gen = ImageDataGenerator(preprocessing_function=caffe_style, rotation_range=15)
model.fit(gen.flow_from_directory("coins", target_size=(224, 224)))
