# Clean twin: the split arrays are preprocessed with xception.preprocess_input before the model
# (the flip inside the model after preprocessing is geometric: harmless).
import numpy as np
import tensorflow as tf
from sklearn.model_selection import train_test_split
from tensorflow.keras.preprocessing import image

x_all = np.expand_dims(image.img_to_array(image.load_img("a.jpg", target_size=(299, 299))), 0)
y_all = np.array([0])
x_train, x_val, y_train, y_val = train_test_split(x_all, y_all, test_size=0.2)
x_train = tf.keras.applications.xception.preprocess_input(x_train)
x_val = tf.keras.applications.xception.preprocess_input(x_val)

base = tf.keras.applications.Xception(weights="imagenet", include_top=False, input_tensor=None, pooling="avg")
model = tf.keras.Sequential([tf.keras.layers.RandomFlip(), base, tf.keras.layers.Dense(2)])
model.fit(x_train, y_train, validation_data=(x_val, y_val))
