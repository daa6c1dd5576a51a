"""A table of image files and labels read with flow_from_dataframe, scaled to [0, 1] for
MobileNetV2.  Expected: FAIL ([0, 1] into [-1, 1]): the files are not here, a generated folder of
the table's classes is read instead."""
import pandas as pd
from tensorflow import keras
from tensorflow.keras.preprocessing.image import ImageDataGenerator

table = pd.DataFrame({"file": [f"scan_{i}.png" for i in range(12)],
                      "diagnosis": ["healthy", "sick", "unclear"] * 4})
reader = ImageDataGenerator(rescale=1.0 / 255, horizontal_flip=True, validation_split=0.25)
train = reader.flow_from_dataframe(table, directory="/scans", x_col="file", y_col="diagnosis",
                                   target_size=(32, 32), batch_size=4, subset="training")
base = keras.applications.MobileNetV2(include_top=False, alpha=0.35, input_shape=(32, 32, 3))
model = keras.Sequential([base, keras.layers.GlobalAveragePooling2D(),
                          keras.layers.Dense(train.num_classes, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(train, epochs=3)
