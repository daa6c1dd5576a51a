"""Builds a backbone, then raises before any data reaches it.  Expected: UNVERIFIED (the error)."""
import keras

base = keras.applications.MobileNetV2(include_top=False, alpha=0.35, input_shape=(32, 32, 3))
raise ValueError("dataset path not configured")
