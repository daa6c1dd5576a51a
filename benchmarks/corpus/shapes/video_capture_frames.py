# expected: FO101 (VGG19, caffe mode, gets raw 0-255 BGR frames with the ImageNet mean never subtracted).  Today: clean, because frames read with cv2.VideoCapture(path).read() are not a known image source (only cv2.imread is), so `ok, frame = capture.read()` gives unknown values.
import cv2
import numpy as np
import tensorflow as tf
from tensorflow.keras.applications import VGG19

capture = cv2.VideoCapture("clips/match_03.mp4")
ok, frame = capture.read()
capture.release()
x = np.expand_dims(cv2.resize(frame, (224, 224)), axis=0)

backbone = VGG19(weights="imagenet", include_top=False, pooling="avg", input_shape=(224, 224, 3))
classifier = tf.keras.Sequential([backbone, tf.keras.layers.Dense(1, activation="sigmoid")])
classifier.compile(optimizer="adam", loss="binary_crossentropy")
classifier.fit(x, np.array([1.0]), epochs=1)
