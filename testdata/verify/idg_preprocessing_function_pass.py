"""tf_keras (Keras 2): ImageDataGenerator(preprocessing_function=preprocess_input) + fit.  Expected: PASS."""
import tf_keras
from tf_keras.applications.mobilenet_v2 import MobileNetV2, preprocess_input
from tf_keras.preprocessing.image import ImageDataGenerator

datagen = ImageDataGenerator(preprocessing_function=preprocess_input, horizontal_flip=True)
train = datagen.flow_from_directory("dataset/train", target_size=(32, 32), batch_size=4, class_mode="binary")

base = MobileNetV2(include_top=False, input_shape=(32, 32, 3), alpha=0.35)
base.trainable = False  # frozen: a cheaper training step, the same input reaches it
model = tf_keras.Sequential([base, tf_keras.layers.GlobalAveragePooling2D(),
                             tf_keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(train, epochs=5)
