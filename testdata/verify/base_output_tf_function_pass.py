"""Graph execution: a model built from base.input / base.output, trained by a custom @tf.function
step on a tf.data pipeline preprocessed in .map (tf.keras namespace).  Expected: PASS."""
import numpy as np
import tensorflow as tf

images = np.random.randint(0, 256, size=(8, 32, 32, 3)).astype("float32")
labels = np.random.randint(0, 2, size=(8,))
ds = tf.data.Dataset.from_tensor_slices((images, labels)).batch(4)
ds = ds.map(lambda x, y: (tf.keras.applications.mobilenet_v2.preprocess_input(x), y))

base = tf.keras.applications.MobileNetV2(include_top=False, alpha=0.35, input_shape=(32, 32, 3))
x = tf.keras.layers.GlobalAveragePooling2D()(base.output)
outputs = tf.keras.layers.Dense(2)(x)
model = tf.keras.Model(base.input, outputs)
optimizer = tf.keras.optimizers.Adam()
loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss


for x, y in ds:
    train_step(x, y)
