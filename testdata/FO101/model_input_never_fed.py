# A model built here but trained elsewhere, with no augmentation: the data may be preprocessed
# where it is loaded, so fixorder does not guess (no finding).
import keras


def build_model(num_classes):
    inputs = keras.Input(shape=(224, 224, 3))
    features = keras.applications.MobileNetV2(include_top=False, pooling="avg")(inputs)
    return keras.Model(inputs, keras.layers.Dense(num_classes)(features))
