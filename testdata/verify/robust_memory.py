"""Asks for far more memory than verify's limit allows.  Expected: UNVERIFIED (MemoryError)."""
import keras

base = keras.applications.MobileNetV2(include_top=False, alpha=0.35, input_shape=(32, 32, 3))
hoard = bytearray(64 << 30)  # 64 GiB: over the address-space limit, never actually touched
