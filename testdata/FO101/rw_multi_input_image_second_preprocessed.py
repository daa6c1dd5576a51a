# Clean twin: the image array is preprocessed with densenet.preprocess_input before it is fed as
# the model's second input (a geometric flip after preprocessing is harmless).
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers

meta_in = tf.keras.Input(shape=(6,))
image_in = tf.keras.Input(shape=(224, 224, 3))
base = tf.keras.applications.DenseNet121(include_top=False, weights="imagenet", pooling="avg")
seen = base(layers.RandomFlip()(image_in))
joined = layers.Concatenate()([seen, layers.Dense(16)(meta_in)])
model = tf.keras.Model(inputs=[meta_in, image_in], outputs=layers.Dense(1)(joined))

pixels = np.random.randint(0, 256, size=(32, 224, 224, 3)).astype("float32")
meta = np.random.rand(32, 6)
model.fit((meta, tf.keras.applications.densenet.preprocess_input(pixels)), np.zeros(32), epochs=1)
