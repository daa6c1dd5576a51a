"""preprocess_input twice in a Functional graph, in a module with a docstring and a plain
`import keras`: the fix drops one call and leaves every import alone."""
import keras

inputs = keras.Input((224, 224, 3))
x = keras.applications.mobilenet_v2.preprocess_input(inputs)
x = keras.applications.mobilenet_v2.preprocess_input(x)
base = keras.applications.MobileNetV2(include_top=False)
model = keras.Model(inputs, base(x))
