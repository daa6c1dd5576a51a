"""benchmarks/realcode_mutate.py: mutants of pipelines fixorder judges correct, on small fixtures."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.benchmark_scripts import load_benchmark

realcode = load_benchmark("realcode")
mutate = load_benchmark("realcode_mutate")

from fixorder import catalog as catalog_module  # noqa: E402
from fixorder.run.engine import parse  # noqa: E402

TF_DATA = """\
\"\"\"A docstring first.\"\"\"
from __future__ import annotations

import tensorflow as tf

augment = tf.keras.Sequential([tf.keras.layers.RandomFlip("horizontal"), tf.keras.layers.RandomRotation(0.1)])
base = tf.keras.applications.MobileNetV2(include_top=False, weights="imagenet")
inputs = tf.keras.Input(shape=(160, 160, 3))
x = augment(inputs)
x = tf.keras.applications.mobilenet_v2.preprocess_input(x)
x = base(x, training=False)
model = tf.keras.Model(inputs, tf.keras.layers.Dense(2)(tf.keras.layers.GlobalAveragePooling2D()(x)))
ds = tf.keras.utils.image_dataset_from_directory("data/train", image_size=(160, 160))
model.fit(ds)
"""

GENERATOR = """\
from tensorflow.keras.applications import VGG16
from tensorflow.keras.applications.vgg16 import preprocess_input
from tensorflow.keras.preprocessing.image import ImageDataGenerator
from tensorflow.keras.models import Model
from tensorflow.keras.layers import Dense, GlobalAveragePooling2D

gen = ImageDataGenerator(preprocessing_function=preprocess_input, rotation_range=20, horizontal_flip=True)
flow = gen.flow_from_directory("data/train", target_size=(224, 224))
base = VGG16(weights="imagenet", include_top=False)
model = Model(base.input, Dense(2)(GlobalAveragePooling2D()(base.output)))
model.fit(flow)
"""

EFFICIENTNET = """\
import tensorflow as tf

base = tf.keras.applications.EfficientNetB0(include_top=False, weights="imagenet")
inputs = tf.keras.Input(shape=(224, 224, 3))
x = tf.keras.layers.RandomFlip()(inputs)
x = tf.keras.applications.efficientnet.preprocess_input(x)
outputs = tf.keras.layers.Dense(2)(tf.keras.layers.GlobalAveragePooling2D()(base(x)))
model = tf.keras.Model(inputs, outputs)
ds = tf.keras.utils.image_dataset_from_directory("data/train", image_size=(224, 224))
model.fit(ds)
"""

BUGGY = TF_DATA.replace("x = tf.keras.applications.mobilenet_v2.preprocess_input(x)\n", "")


@pytest.fixture(scope="module")
def catalog():
    return catalog_module.load()


def mutants(program: str, catalog) -> tuple[list, Counter]:
    skipped = Counter()
    _, made = mutate.mutants_of("f.py", program, catalog, skipped)
    return made, skipped


def test_a_preprocess_call_gets_drop_swap_and_move_mutants(catalog):
    made, skipped = mutants(TF_DATA, catalog)
    by_kind = {m.kind: m.text for m in made}
    assert sorted(by_kind) == ["drop", "move", "swap"]
    assert "preprocess_input" not in by_kind["drop"].split("x = augment(inputs)")[1].split("model =")[0]
    assert "x = fixorder_mutant_preprocess(x)" in by_kind["swap"]
    assert "from tensorflow.keras.applications.resnet50 import preprocess_input as fixorder_mutant_preprocess" \
        in by_kind["swap"]
    assert "fixorder_mutant_brightness(0.2)(tf.keras.applications.mobilenet_v2.preprocess_input(x))" in by_kind["move"]
    for text in by_kind.values():  # imports go after the docstring and the __future__ import
        lines = text.splitlines()
        assert lines[0].startswith('"""') and lines[1] == "from __future__ import annotations"
        parse(text)
    assert all(m.backbone == "MobileNetV2" and m.line == 7 for m in made)


def test_a_generator_argument_is_dropped_or_swapped_but_not_moved(catalog):
    made, skipped = mutants(GENERATOR, catalog)
    by_kind = {m.kind: m.text for m in made}
    assert sorted(by_kind) == ["drop", "swap"]
    assert "ImageDataGenerator(rotation_range=20, horizontal_flip=True)" in by_kind["drop"]
    assert "preprocessing_function=fixorder_mutant_preprocess" in by_kind["swap"]
    assert "applications.mobilenet_v2 import preprocess_input as fixorder_mutant_preprocess" in by_kind["swap"]
    assert skipped["move: generator applies preprocessing_function after its augmentation"] == 1


def test_a_builtin_preprocessing_backbone_gets_only_the_rescale_mutant(catalog):
    made, _ = mutants(EFFICIENTNET, catalog)
    assert [m.kind for m in made] == ["rescale"]
    assert "x = (tf.keras.applications.efficientnet.preprocess_input(x)) / 255.0" in made[0].text


def test_a_pipeline_without_preprocessing_is_not_mutated(catalog):
    made, skipped = mutants(BUGGY, catalog)
    assert made == []
    assert skipped["no preprocessing stage (silent, not judged correct)"] == 1


BUILDER = """\
import tensorflow as tf


def build():
    base = tf.keras.applications.MobileNetV2(include_top=False, weights="imagenet")
    inputs = tf.keras.Input(shape=(160, 160, 3))
    x = tf.keras.applications.mobilenet_v2.preprocess_input(inputs)
    return tf.keras.Model(inputs, base(x))
"""


def test_a_model_input_never_fed_data_is_not_judged_so_not_mutated(catalog):
    made, skipped = mutants(BUILDER, catalog)
    assert made == []
    assert skipped["not linked to data (silent, not judged correct)"] == 1


@pytest.mark.parametrize("qualified, root", [("tensorflow.keras.applications.MobileNetV2", "tensorflow.keras"),
                                             ("keras.applications.mobilenet_v2.MobileNetV2", "keras"),
                                             ("efficientnet.tfkeras.EfficientNetB0", None)])
def test_keras_root(qualified, root):
    assert mutate.keras_root(qualified) == root


def test_run_checks_every_mutant_and_skips_files_with_findings(tmp_path):
    root = tmp_path / "tree"
    root.mkdir()
    for name, text in {"tfdata.py": TF_DATA, "gen.py": GENERATOR, "eff.py": EFFICIENTNET, "bug.py": BUGGY}.items():
        (root / name).write_text(text, encoding="utf-8")
    reports = realcode.check_tree(root)
    assert {r.id: sorted(r.codes) for r in reports}["bug.py"] == ["FO101"]
    keep = tmp_path / "kept"
    result = mutate.run(root, reports, keep)
    assert result.files == 3 and result.pipelines == 3
    assert result.made == {"drop": 2, "swap": 2, "move": 1, "rescale": 1}
    assert result.caught == result.made, result.misses  # these shapes are fixorder's home ground
    assert result.misses == []
    assert len(list(keep.iterdir())) == 6


def test_main_prints_mutation_recall(tmp_path, capsys):
    (tmp_path / "tfdata.py").write_text(TF_DATA, encoding="utf-8")
    assert realcode.main([str(tmp_path), "--mutate"]) == 0
    out = capsys.readouterr().out
    assert "mutation recall: 3/3 (100%)" in out
    assert "drop     expects FO101: 1/1 (100%)" in out
