# Values from functions defined elsewhere cannot be followed: no finding rather than a guess.
import tensorflow as tf
from mylib import load_data, build_aug
x = load_data()
base = tf.keras.applications.MobileNetV2(include_top=False)
f = base(x)
aug = build_aug()
g = base(aug(x))
def extract(images):
    return base(images)
