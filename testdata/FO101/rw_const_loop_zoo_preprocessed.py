import numpy as np
from tensorflow.keras import applications


def zoo(arch):
    if arch == "vgg16":
        return applications.VGG16(weights="imagenet", include_top=False), applications.vgg16.preprocess_input
    if arch == "inception":
        return applications.InceptionV3(weights="imagenet", include_top=False), applications.inception_v3.preprocess_input
    raise ValueError(arch)


probe = np.random.randint(0, 255, size=(4, 299, 299, 3))
for arch in ["vgg16", "inception"]:
    net, prepare = zoo(arch)
    embedding = net.predict(prepare(probe))
