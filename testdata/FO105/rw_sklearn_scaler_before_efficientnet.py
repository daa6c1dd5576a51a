# EfficientNetB0 normalizes inside the model; the data is z-scored by scikit-learn first (FO105,
# reported at the standardization, with no automatic fix).
from sklearn.preprocessing import StandardScaler
from tensorflow.keras.applications import EfficientNetB0
from tensorflow.keras.datasets import cifar100

(x_train, y_train), _ = cifar100.load_data()
flat = StandardScaler().fit_transform(x_train.reshape(len(x_train), -1))
model = EfficientNetB0(weights="imagenet", include_top=False, input_shape=(32, 32, 3))
model.fit(flat.reshape(-1, 32, 32, 3), y_train)
