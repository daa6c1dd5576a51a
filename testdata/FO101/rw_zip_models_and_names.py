# Two models trained in a loop over zip(models, names): each gets the rescale=1/255 generator,
# and neither VGG16 nor Xception gets its preprocess_input (two FO101).
from tensorflow.keras.applications import VGG16, Xception
from tensorflow.keras.layers import Dense, GlobalAveragePooling2D
from tensorflow.keras.models import Model
from tensorflow.keras.preprocessing.image import ImageDataGenerator

flow = ImageDataGenerator(rescale=1.0 / 255, zoom_range=0.2).flow_from_directory("flowers")


def head(base):
    return Model(base.input, Dense(5)(GlobalAveragePooling2D()(base.output)))


models = [head(VGG16(weights="imagenet", include_top=False)), head(Xception(weights="imagenet", include_top=False))]
for model, name in zip(models, ["vgg16", "xception"]):
    model.fit(flow, epochs=1)
    model.save(name + ".keras")
