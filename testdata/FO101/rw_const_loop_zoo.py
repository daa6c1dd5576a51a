import numpy as np
from tensorflow.keras import applications


def zoo(arch):
    if arch == "vgg16":
        net = applications.VGG16(weights="imagenet", include_top=False)
    elif arch == "inception":
        net = applications.InceptionV3(weights="imagenet", include_top=False)
    else:
        net = None
    return net


probe = np.random.randint(0, 255, size=(4, 299, 299, 3))
for arch in ("vgg16", "inception"):
    embedding = zoo(arch).predict(probe)
    np.save(arch + ".npy", embedding)
