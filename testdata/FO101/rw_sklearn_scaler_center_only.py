# Centering only (with_std=False) is not a full z-score: fixorder cannot tell what range results,
# so it stays silent rather than guess.
from sklearn.preprocessing import StandardScaler
from tensorflow.keras.applications import VGG16
from tensorflow.keras.datasets import cifar10

(x_train, y_train), _ = cifar10.load_data()
x_train = StandardScaler(with_std=False).fit_transform(x_train.reshape(50000, -1)).reshape(50000, 32, 32, 3)
model = VGG16(weights="imagenet", include_top=False, input_shape=(32, 32, 3))
model.fit(x_train, y_train)
