"""Kills its own process after building the backbone.  Expected: UNVERIFIED (killed by SIGKILL)."""
import os
import signal

import keras

base = keras.applications.MobileNetV2(include_top=False, alpha=0.35, input_shape=(32, 32, 3))
os.kill(os.getpid(), signal.SIGKILL)
