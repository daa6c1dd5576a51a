# The Rescaling feeds EfficientNetB0 (wrong) and RegNetX002 without built-in preprocessing
# (right: it expects [0, 1]); removing it would break the second model, so no fix is applied.
import tf_keras as keras
from tf_keras import layers

shared = layers.Rescaling(1.0 / 255)
a = keras.Sequential([keras.Input((224, 224, 3)), shared, keras.applications.EfficientNetB0(include_top=False)])
b = keras.Sequential([keras.Input((224, 224, 3)), shared, keras.applications.RegNetX002(include_top=False, include_preprocessing=False)])
ds = keras.utils.image_dataset_from_directory("data")
a.fit(ds)
b.fit(ds)
