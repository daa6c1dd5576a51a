# FO101: featurewise z-scoring after datagen.fit() gives the dataset's own mean/std, not DenseNet201's
# ImageNet mean/std normalisation (torch mode).
import numpy as np
from tensorflow import keras

(train_x, train_y), _ = keras.datasets.cifar100.load_data()
datagen = keras.preprocessing.image.ImageDataGenerator(
    featurewise_center=True, featurewise_std_normalization=True, rotation_range=15)
datagen.fit(train_x.astype(np.float32))
trunk = keras.applications.DenseNet201(include_top=False, weights="imagenet", input_shape=(32, 32, 3))
model = keras.Sequential([trunk, keras.layers.Flatten(), keras.layers.Dense(100)])
model.fit(datagen.flow(train_x, train_y, batch_size=64), epochs=1)
