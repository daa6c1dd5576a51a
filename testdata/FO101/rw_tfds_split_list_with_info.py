# tfds.load with a list of splits and with_info: both datasets are raw uint8 images.  The
# validation split is scaled to [0, 1] and flipped for ResNet50V2, which wants [-1, 1] (FO101).
import tensorflow as tf
import tensorflow_datasets as tfds

(train, val), info = tfds.load("cats_vs_dogs", split=["train[:80%]", "train[80%:]"], with_info=True,
                               as_supervised=True)
flip = tf.keras.layers.RandomFlip()
base = tf.keras.applications.ResNet50V2(include_top=False, weights="imagenet", pooling="avg")
val = val.map(lambda img, label: (flip(tf.image.resize(img, (224, 224))) / 255.0, label)).batch(16)
for images, labels in val:
    scores = base(images)
    tf.io.write_file("scores", tf.io.serialize_tensor(scores))
