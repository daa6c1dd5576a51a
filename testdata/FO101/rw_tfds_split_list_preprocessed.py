# Clean twin: both splits get resnet_v2.preprocess_input after the flip.
import tensorflow as tf
import tensorflow_datasets as tfds

train_ds, test_ds = tfds.load("cats_vs_dogs", split=["train[:80%]", "train[80%:]"], as_supervised=True)
flip = tf.keras.layers.RandomFlip()
base = tf.keras.applications.ResNet50V2(include_top=False, weights="imagenet", pooling="avg")
prep = tf.keras.applications.resnet_v2.preprocess_input
test_ds = test_ds.map(lambda img, label: (prep(flip(tf.image.resize(img, (224, 224)))), label)).batch(16)
for images, labels in test_ds:
    scores = base(images)
    tf.io.write_file("scores", tf.io.serialize_tensor(scores))
