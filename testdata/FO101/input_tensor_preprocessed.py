# keras.io DeepLabV3+ shape: resnet50.preprocess_input on the tensor passed as input_tensor=.
import keras
from keras.applications import resnet50

inputs = keras.Input(shape=(512, 512, 3))
preprocessed = resnet50.preprocess_input(inputs)
backbone = resnet50.ResNet50(weights="imagenet", include_top=False, input_tensor=preprocessed)
