# expected: FO104 (VGG16 gets vgg16.preprocess_input and then rescale=1/255 from the same generator: caffe values divided by 255 again).  Today: clean, because ImageDataGenerator imported from the standalone `keras_preprocessing.image` package (what Keras 2.x re-exported as keras.preprocessing.image) is not recognised, so the generator and its flow are unknown.
from keras_preprocessing.image import ImageDataGenerator
from tensorflow.keras.applications.vgg16 import VGG16, preprocess_input
from tensorflow.keras.layers import Dense, GlobalAveragePooling2D
from tensorflow.keras.models import Model

augmenting = ImageDataGenerator(horizontal_flip=True, rotation_range=15, rescale=1.0 / 255,
                                preprocessing_function=preprocess_input)
batches = augmenting.flow_from_directory("leaves/train", target_size=(224, 224), batch_size=16)

backbone = VGG16(weights="imagenet", include_top=False, input_shape=(224, 224, 3))
head = Dense(4, activation="softmax")(GlobalAveragePooling2D()(backbone.output))
classifier = Model(backbone.input, head)
classifier.compile(optimizer="adam", loss="categorical_crossentropy")
classifier.fit(batches, epochs=3)
