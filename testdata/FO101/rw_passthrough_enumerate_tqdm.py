import tensorflow as tf
from tqdm import tqdm

base = tf.keras.applications.NASNetMobile(include_top=False, weights="imagenet", pooling="avg")
head = tf.keras.layers.Dense(5)
optimizer = tf.keras.optimizers.Adam()
train = tf.keras.utils.image_dataset_from_directory("flowers", image_size=(224, 224))
for step, (images, labels) in enumerate(tqdm(train)):
    with tf.GradientTape() as tape:
        logits = head(base(tf.image.random_flip_left_right(images), training=True))
        loss = tf.reduce_mean(tf.keras.losses.sparse_categorical_crossentropy(labels, logits, from_logits=True))
