import cv2
import numpy as np
from tensorflow import keras


def clip_frames(path, size=(299, 299)):
    frames = []
    cap = cv2.VideoCapture(path)
    while cap.isOpened():
        ret, frame = cap.read()
        if not ret:
            break
        frames.append(cv2.resize(frame, size))
    cap.release()
    return keras.applications.xception.preprocess_input(np.array(frames, dtype="float32"))


x = clip_frames("videos/serve.mp4")
base = keras.applications.Xception(weights="imagenet", include_top=False, pooling="avg")
model = keras.Sequential([keras.Input(shape=(299, 299, 3)), base, keras.layers.Dense(5, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, np.zeros(len(x)), epochs=1)
