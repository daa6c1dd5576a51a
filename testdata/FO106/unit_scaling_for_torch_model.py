# Rescaling(1/255) gives [0, 1], but ResNetRS without built-in preprocessing expects torch mode.
import tf_keras
from tf_keras import layers

model = tf_keras.Sequential([
    layers.Input((224, 224, 3)),
    layers.Rescaling(1.0 / 255),
    tf_keras.applications.ResNetRS50(include_top=False, include_preprocessing=False),
])
model.fit(tf_keras.utils.image_dataset_from_directory("data"))
