# imagenet_utils.preprocess_input twice before MobileNetV2: FO104 drops the first call and FO103 sets
# mode="tf" on the other; both edit the second statement, so they apply in successive passes.
from tensorflow import keras

base = keras.applications.MobileNetV2(include_top=False, pooling="avg", weights="imagenet")
inputs = keras.Input(shape=(224, 224, 3))
x = keras.applications.imagenet_utils.preprocess_input(inputs)
x = keras.applications.imagenet_utils.preprocess_input(x)
features = base(x, training=False)
model = keras.Model(inputs, features)
train_ds = keras.utils.image_dataset_from_directory('data/train', image_size=(224, 224))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(train_ds, epochs=1)
