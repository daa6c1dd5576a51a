# ImageDataGenerator with VGG16's (caffe) function feeding DenseNet121 (torch).
import tensorflow as tf
from tensorflow.keras.applications import densenet, vgg16
from tensorflow.keras.preprocessing.image import ImageDataGenerator

gen = ImageDataGenerator(horizontal_flip=True, preprocessing_function=vgg16.preprocess_input)
model = tf.keras.Sequential([
    tf.keras.Input((224, 224, 3)),
    densenet.DenseNet121(include_top=False, pooling="avg", weights="imagenet"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(gen.flow_from_directory("data", target_size=(224, 224), class_mode="sparse"))
