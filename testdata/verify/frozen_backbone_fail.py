# tests/test_verify.py verifies every script here with freeze_backbones=True: the backbone this
# script builds must arrive frozen (it checks), and its raw input still FAILs.
import keras

base = keras.applications.MobileNetV2(include_top=False, alpha=0.35, input_shape=(32, 32, 3))
if base.trainable:
    raise RuntimeError("verify did not freeze the backbone")
