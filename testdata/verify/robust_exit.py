"""Exits with status 3 before feeding the backbone.  Expected: UNVERIFIED (exit status 3)."""
import sys
import keras

base = keras.applications.MobileNetV2(include_top=False, alpha=0.35, input_shape=(32, 32, 3))
sys.exit(3)
