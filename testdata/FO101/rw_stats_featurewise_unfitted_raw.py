# FO101: the featurewise flags do nothing without datagen.fit() (Keras only warns), so ResNet101 gets
# flipped raw pixels instead of caffe-mode ones.
from tensorflow import keras

datagen = keras.preprocessing.image.ImageDataGenerator(featurewise_center=True, featurewise_std_normalization=True,
                                                       horizontal_flip=True)
trunk = keras.applications.ResNet101(include_top=False, weights="imagenet", pooling="avg")
model = keras.Sequential([trunk, keras.layers.Dense(12)])
model.fit(datagen.flow_from_directory("fish", target_size=(224, 224)), epochs=1)
