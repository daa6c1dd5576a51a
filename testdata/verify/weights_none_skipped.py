"""A backbone trained from scratch (weights=None) has no pretrained input contract.

Expected: UNVERIFIED marked not applicable; exit status 2 (nothing to verify)."""
import numpy as np
import keras

base = keras.applications.MobileNetV2(weights=None, include_top=False, alpha=0.35, input_shape=(32, 32, 3))
base(np.random.rand(2, 32, 32, 3).astype("float32"))
