import tensorflow as tf


def make(use_effnet, classes=3):
    inp = tf.keras.Input(shape=(240, 240, 3))
    if use_effnet:
        base = tf.keras.applications.EfficientNetB1(include_top=False, weights="imagenet")
        x = base(tf.keras.layers.Rescaling(1.0 / 255)(inp))
    else:
        base = tf.keras.applications.ResNet152(include_top=False, weights="imagenet")
        x = base(tf.keras.applications.resnet.preprocess_input(inp))
    out = tf.keras.layers.Dense(classes)(tf.keras.layers.GlobalAveragePooling2D()(x))
    return tf.keras.Model(inp, out)


model = make(False)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(tf.keras.utils.image_dataset_from_directory("rocks", image_size=(240, 240)))
