import tensorflow as tf

left = tf.keras.utils.image_dataset_from_directory("left", image_size=(224, 224), labels=None)
right = tf.keras.utils.image_dataset_from_directory("right", image_size=(224, 224), labels=None)
siamese = tf.keras.applications.MobileNetV2(include_top=False, weights="imagenet", pooling="avg")
for a, b in zip(left, right):
    distance = tf.norm(siamese(a / 255.0) - siamese(tf.keras.applications.mobilenet_v2.preprocess_input(b)))
