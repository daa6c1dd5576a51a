# CIFAR images flattened, z-scored per feature with scikit-learn, reshaped back and fed to
# VGG16: a z-score is not caffe mode (FO101).
from sklearn.preprocessing import StandardScaler
from tensorflow.keras.applications import VGG16
from tensorflow.keras.datasets import cifar10
from tensorflow.keras.layers import Dense, GlobalAveragePooling2D
from tensorflow.keras.models import Sequential

(x_train, y_train), (x_test, y_test) = cifar10.load_data()
scaler = StandardScaler()
x_train = scaler.fit_transform(x_train.reshape(50000, -1)).reshape(50000, 32, 32, 3)
model = Sequential([VGG16(weights="imagenet", include_top=False, input_shape=(32, 32, 3)),
                    GlobalAveragePooling2D(), Dense(10)])
model.fit(x_train, y_train)
