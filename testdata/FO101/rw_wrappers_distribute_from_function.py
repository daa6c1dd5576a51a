# FO101: each replica's dataset (distribute_datasets_from_function) divides by 255 and flips; the step
# run by strategy.run feeds it to ResNet152V2, which wants [-1, 1].
import tensorflow as tf

strategy = tf.distribute.MirroredStrategy()


def make_dataset(context):
    ds = tf.keras.utils.image_dataset_from_directory("bees", image_size=(224, 224))
    return ds.map(lambda x, y: (tf.image.random_flip_up_down(x / 255.0), y))


with strategy.scope():
    backbone = tf.keras.applications.ResNet152V2(include_top=False, weights="imagenet", pooling="avg")
    optimizer = tf.keras.optimizers.Adam()


def train_step(images, labels):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(backbone(images, training=True))
    optimizer.apply_gradients(zip(tape.gradient(loss, backbone.trainable_variables), backbone.trainable_variables))
    return loss


for images, labels in strategy.distribute_datasets_from_function(make_dataset):
    strategy.run(train_step, args=(images, labels))
