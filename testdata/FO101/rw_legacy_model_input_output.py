from keras.applications.vgg16 import VGG16
from keras.layers import Dense, Flatten
from keras.models import Model
from keras.preprocessing.image import ImageDataGenerator

trunk = VGG16(weights="imagenet", include_top=False, input_shape=(150, 150, 3))
net = Model(input=trunk.input, output=Dense(2, activation="softmax")(Flatten()(trunk.output)))
net.compile(loss="categorical_crossentropy", optimizer="rmsprop")
train_gen = ImageDataGenerator(rescale=1.0 / 255, zoom_range=0.2, horizontal_flip=True)
val_gen = ImageDataGenerator(rescale=1.0 / 255)
net.fit_generator(
    generator=train_gen.flow_from_directory("train", target_size=(150, 150)),
    validation_data=val_gen.flow_from_directory("val", target_size=(150, 150)),
    samples_per_epoch=2000,
    nb_epoch=5,
)
