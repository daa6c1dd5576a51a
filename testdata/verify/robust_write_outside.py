"""Saves next to itself, outside verify's temporary directory.  Expected: UNVERIFIED (write
refused), and no file appears beside this script."""
import os

import keras

base = keras.applications.MobileNetV2(include_top=False, alpha=0.35, input_shape=(32, 32, 3))
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "robust_write_outside.out"), "w") as fh:
    fh.write("the script wrote outside the sandbox\n")
