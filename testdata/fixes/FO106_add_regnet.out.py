# RegNet (tf_keras) without its built-in Rescaling expects [0, 1].
import tf_keras

model = tf_keras.Sequential()
model.add(tf_keras.Input((224, 224, 3)))
model.add(tf_keras.layers.Rescaling(1 / 255))
model.add(tf_keras.applications.RegNetX004(include_top=False, include_preprocessing=False))
model.add(tf_keras.layers.GlobalAveragePooling2D())
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(tf_keras.utils.image_dataset_from_directory("data", image_size=(224, 224)))
