"""Run the real ``fixorder`` command line in a subprocess, as users and CI do."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Augmented images reach MobileNetV2 with no preprocess_input: one safe FO101 fix.
BROKEN_SCRIPT = '''\
from tensorflow import keras
from tensorflow.keras import layers

augment = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.2)])
base = keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False, weights="imagenet")
inputs = keras.Input(shape=(160, 160, 3))
x = augment(inputs)
x = base(x, training=False)
model = keras.Model(inputs, x)
'''

FIXED_SCRIPT = BROKEN_SCRIPT.replace(
    "x = base(x, training=False)",
    "x = base(keras.applications.mobilenet_v2.preprocess_input(x), training=False)")

CLEAN_SCRIPT = FIXED_SCRIPT


def fixorder(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fixorder", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=300)
