"""Integration tests for ``fixorder verify`` with real TensorFlow (no mocks).

Every script in testdata/verify runs once, in its own verification subprocess; the runs are
started together at import time of the first test that needs them (two at a time, the machine
has two cores) so the whole file stays within a few minutes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytest.importorskip("tensorflow")

from fixorder.verify import (  # noqa: E402
    FAIL, PASS, UNVERIFIED, exit_code, verify_rewrite, verify_script,
)
from fixorder.verify.results import to_text  # noqa: E402
from tests.conftest import cores_for_this_process  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "testdata" / "verify"
JSON_KEYS = {"path", "line", "backbone", "expects", "expected_range", "observed_range",
             "observed_per_channel", "verdict", "reason", "cell", "isolated", "isolation", "notes"}
SLEEP_TIMEOUT = 25.0
# Verified through the command line (one run serves the CLI test and these files' own tests).
CLI_FILES = ("eager_augment_fail.py", "eager_augment_preprocess_pass.py")

# A CPU-bound run per core (its share of them under pytest-xdist), plus one slot for the sleeping
# script (idle after start-up).
_pool = ThreadPoolExecutor(max_workers=cores_for_this_process() + 1)
_futures: dict[str, object] = {}


def uses(*keys):
    """Declare the verification runs a test reads, so a -k selection starts only those."""
    def mark(fn):
        fn.verify_runs = keys
        return fn
    return mark


def _jobs():
    """All runs: key -> (callable, args, kwargs)."""
    jobs = {}
    for p in list(DATA.glob("*.py")) + list(DATA.glob("*.ipynb")):
        if p.name in CLI_FILES:
            continue  # verified once, by the command line run
        timeout = SLEEP_TIMEOUT if p.name == "robust_sleep.py" else 600.0
        jobs[p.name] = (verify_script, (str(p),), {"timeout": timeout})
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    jobs["cli"] = (subprocess.run,
                   ([sys.executable, "-m", "fixorder.verify", "--output-format", "json", "--jobs", "1",
                     *(str(DATA / name) for name in CLI_FILES)],),
                   {"capture_output": True, "text": True, "env": env, "timeout": 600})
    jobs["pipeline_snippet_whole"] = (verify_script, (str(DATA / "pipeline_snippet_fail.py"),),
                                      {"timeout": 600.0, "whole_script": True})
    jobs["standins_whole"] = (verify_script, (str(DATA / "standins_pass.py"),),
                              {"timeout": 600.0, "whole_script": True})
    jobs["keras2_rescaling_forced_3"] = (verify_script, (str(DATA / "keras2_experimental_rescaling_pass.py"),),
                                         {"timeout": 600.0, "keras": "3"})
    # A rewrite that passes is kept and one that still FAILs is reverted: tests/test_verify_fix.py
    # shows both through --fix --verify; here only the crash path, which runs the original too.
    original = (DATA / "eager_augment_fail.py").read_text()
    broken = original.replace("features = base(augment(images, training=True))",
                              "features = base(undefined_helper(augment(images, training=True)))")
    assert broken != original
    path = str(DATA / "eager_augment_fail.py")
    jobs["rewrite_crashing"] = (verify_rewrite, (path, original, broken), {})
    return jobs


@pytest.fixture(scope="module", autouse=True)
def _start_runs(request):
    """Start, together, every run the selected tests of this module need (longest first, so the
    workers finish together); cancel whatever has not started when the module ends."""
    wanted = set()
    for item in request.session.items:
        if item.module is sys.modules[__name__]:
            wanted.update(getattr(item.function, "verify_runs", ()))
    jobs = _jobs()
    for key in sorted(wanted, key=lambda k: ("sleep" not in k, "rewrite" not in k, "fit" not in k, k)):
        fn, args, kwargs = jobs[key]
        _futures[key] = _pool.submit(fn, *args, **kwargs)
    yield
    _pool.shutdown(wait=False, cancel_futures=True)


def result(name: str):
    return _futures[name].result()


def only(name: str):
    res = result(name)
    assert len(res) == 1, res
    return res[0]


def approx_range(r, lo, hi, tol):
    return abs(r[0] - lo) <= tol and abs(r[1] - hi) <= tol


def near(r, lo, hi):
    """Observed [min, max] is [lo, hi] give or take what random augmentation does to the
    generated 0..255 data (RandomBrightness(0.2) shifts by up to 20 % of the span, a contrast
    factor of 0.8 pulls both ends in by 10 %)."""
    span = hi - lo
    return lo - 0.05 * span <= r[0] <= lo + 0.25 * span and hi - 0.25 * span <= r[1] <= hi + 0.05 * span


# -- (a) the eager shape from the core issue -------------------------------------------------

def cli_row(name: str) -> dict:
    rows = [row for row in json.loads(result("cli").stdout) if row["path"].endswith(name)]
    assert len(rows) == 1, rows
    return rows[0]


@uses("cli")
def test_eager_augmented_raw_batch_fails_with_raw_range():
    r = cli_row("eager_augment_fail.py")
    assert r["verdict"] == FAIL, r["reason"]
    assert r["backbone"] == "MobileNetV2" and r["expects"] == "tf"
    assert r["expected_range"] == [-1.0, 1.0]
    assert near(r["observed_range"], 0.0, 255.0), r["observed_range"]
    assert len(r["observed_per_channel"]) == 3
    assert r["line"] == 18
    assert "raw" in r["reason"]


@uses("cli")
def test_eager_with_preprocess_input_passes():
    r = cli_row("eager_augment_preprocess_pass.py")
    assert r["verdict"] == PASS, r["reason"]
    assert near(r["observed_range"], -1.0, 1.0), r["observed_range"]


@uses("eager_augment_fold_pass.py")
def test_eager_fold_function_passes():
    r = only("eager_augment_fold_pass.py")
    assert r.verdict == PASS, r.reason
    assert near(r.observed_range, -1.0, 1.0), r.observed_range


# -- (b) built and compiled only: called on a generated raw batch ------------------------------

@uses("functional_build_only_pass.py")
def test_functional_build_only_pass():
    r = only("functional_build_only_pass.py")
    assert r.verdict == PASS, r.reason
    assert "generated raw" in r.reason
    assert approx_range(r.observed_range, -1.0, 1.0, 0.01)


@uses("functional_build_only_fail.py")
def test_functional_build_only_fail():
    r = only("functional_build_only_fail.py")
    assert r.verdict == FAIL, r.reason
    assert approx_range(r.observed_range, 0.0, 255.0, 0.5)


# -- (c) tf.data from image_dataset_from_directory + .map + fit (graph execution) ------------

@uses("tfdata_directory_fit_pass.py")
def test_tfdata_directory_fit_pass():
    r = only("tfdata_directory_fit_pass.py")
    assert r.verdict == PASS, r.reason
    assert "generated raw" not in r.reason  # the generated directory fed it through fit
    assert near(r.observed_range, -1.0, 1.0), r.observed_range


@uses("tfdata_directory_fit_fail.py")
def test_tfdata_directory_fit_fail():
    r = only("tfdata_directory_fit_fail.py")
    assert r.verdict == FAIL, r.reason
    assert near(r.observed_range, 0.0, 255.0), r.observed_range


@uses("base_output_tf_function_pass.py")
def test_custom_tf_function_on_base_output_model_passes():
    r = only("base_output_tf_function_pass.py")
    assert r.verdict == PASS, r.reason
    assert "generated raw" not in r.reason


# -- (d) ImageDataGenerator.flow_from_directory + fit ----------------------------------------

@uses("idg_rescale_fail.py")
def test_image_data_generator_rescale_fails():
    r = only("idg_rescale_fail.py")
    assert r.verdict == FAIL, r.reason
    assert near(r.observed_range, 0.0, 1.0), r.observed_range
    assert "unit" in r.reason


@uses("idg_preprocessing_function_pass.py")
def test_image_data_generator_preprocessing_function_passes_tf_keras():
    r = only("idg_preprocessing_function_pass.py")
    assert r.verdict == PASS, r.reason
    assert approx_range(r.observed_range, -1.0, 1.0, 0.1)


# -- (e) input_tensor= --------------------------------------------------------------------------

@uses("input_tensor_resnet_pass.py")
def test_resnet50_input_tensor_passes_per_channel_caffe():
    r = only("input_tensor_resnet_pass.py")
    assert r.verdict == PASS, r.reason
    assert r.backbone == "ResNet50" and r.expects == "caffe"
    # BGR, mean subtracted: each channel has its own range.
    assert approx_range(r.observed_per_channel[0], -103.939, 151.061, 1.0)
    assert approx_range(r.observed_per_channel[2], -123.68, 131.32, 1.0)


# -- (f) Sequential([aug, ResNet50, ...]) -------------------------------------------------------

@uses("sequential_resnet_fail.py")
def test_sequential_resnet_without_preprocessing_fails():
    r = only("sequential_resnet_fail.py")
    assert r.verdict == FAIL, r.reason
    assert r.expects == "caffe"
    assert r.observed_range[1] > 200


@uses("sequential_resnet_lambda_pass.py")
def test_sequential_resnet_with_caffe_lambda_passes():
    r = only("sequential_resnet_lambda_pass.py")
    assert r.verdict == PASS, r.reason


# -- (g) EfficientNet: built-in preprocessing ----------------------------------------------------

@uses("efficientnet_raw_pass.py")
def test_efficientnet_raw_pixels_pass():
    r = only("efficientnet_raw_pass.py")
    assert r.verdict == PASS, r.reason
    assert r.expects == "raw"


@uses("efficientnet_rescaling_fail.py")
def test_efficientnet_after_rescaling_fails():
    r = only("efficientnet_rescaling_fail.py")
    assert r.verdict == FAIL, r.reason
    assert approx_range(r.observed_range, 0.0, 1.0, 0.01)


# -- other namespaces and shapes -----------------------------------------------------------------

@uses("legacy_tf_keras_fail.py")
def test_tf_use_legacy_keras_instruments_tf_keras():
    r = only("legacy_tf_keras_fail.py")
    assert r.verdict == FAIL, r.reason
    assert (r.backbone, r.expects, r.line) == ("ResNet50V2", "tf", 6)


@uses("subclassed_build_only_pass.py")
def test_subclassed_model_only_compiled_is_probed():
    r = only("subclassed_build_only_pass.py")
    assert r.verdict == PASS, r.reason
    assert "generated raw" in r.reason


@uses("notebook_eager_fail.ipynb")
def test_notebook_code_cells_run_with_magics_masked():
    r = only("notebook_eager_fail.ipynb")
    assert r.verdict == FAIL, r.reason
    assert (r.cell, r.line, r.backbone) == (3, 3, "MobileNetV2")
    assert "notebook cell 3" in r.reason
    assert to_text([r]).startswith(f"{r.path}:cell 3:3: MobileNetV2 FAIL")
    assert (r.to_json()["cell"], r.to_json()["line"]) == (3, 3)


# -- pipeline verification (the default) --------------------------------------------------------

@uses("pipeline_snippet_fail.py", "pipeline_snippet_whole")
def test_a_snippet_that_never_runs_whole_is_verified_per_pipeline():
    r = only("pipeline_snippet_fail.py")
    assert r.verdict == FAIL, r.reason
    assert (r.backbone, r.line) == ("MobileNetV2", 33)
    assert r.observed_range[1] > 200 and r.expected_range == [-1.0, 1.0]
    assert any(n.startswith("pipeline mode: ran ") and "image_dataset_from_directory (line 22)" in n
               for n in r.notes), r.notes
    whole = only("pipeline_snippet_whole")
    # Whole, the missing Kaggle folder is listed from generated images now; the helper from
    # another notebook is still undefined.
    assert whole.verdict == UNVERIFIED and "show_samples_from_the_previous_notebook" in whole.reason, whole.reason


# -- stand-ins ---------------------------------------------------------------------------------

@uses("decoder_glob_fail.py")
def test_decoder_over_a_missing_file_list_gets_generated_images():
    r = only("decoder_glob_fail.py")
    assert r.verdict == FAIL, r.reason
    assert r.observed_range[0] <= 5 and r.observed_range[1] >= 250
    assert any("matches nothing here: generated images instead" in n for n in r.notes), r.notes

def _stand_ins(r) -> str:
    return " | ".join(n for n in r.notes if n.startswith("stand-in: "))


@uses("standins_pass.py", "standins_whole")
def test_notebook_helpers_tpu_and_load_data_are_stand_ins_named_in_the_notes():
    whole = only("standins_whole")
    assert whole.verdict == PASS, whole.reason
    for name in ("google.colab", "kaggle_datasets", "TPUClusterResolver", "cifar10.load_data()", "tqdm"):
        assert name in _stand_ins(whole), (name, whole.notes)
    # The pipeline's slice keeps the TPU strategy (the backbone is built in its scope) and the
    # loaded data, not the Colab and Kaggle helpers, which it does not need.
    sliced = only("standins_pass.py")
    assert sliced.verdict == PASS, sliced.reason
    assert "TPUClusterResolver" in _stand_ins(sliced) and "cifar10.load_data()" in _stand_ins(sliced)
    assert "google.colab" not in _stand_ins(sliced) and "kaggle_datasets" not in _stand_ins(sliced)


# -- Keras 2 scripts run under tf_keras ---------------------------------------------------------

@uses("keras2_idg_fit_generator_fail.py")
def test_keras2_only_script_runs_under_tf_keras_and_fails():
    r = only("keras2_idg_fit_generator_fail.py")
    assert r.verdict == FAIL, r.reason
    assert r.backbone == "MobileNetV2" and r.observed_range[0] >= -0.05 and r.observed_range[1] <= 1.05
    assert any("Keras 2" in n and "fit_generator" in n and "layers.core" in n for n in r.notes), r.notes


@uses("keras2_experimental_rescaling_pass.py", "keras2_rescaling_forced_3")
def test_layers_experimental_passes_under_tf_keras_and_not_under_keras3():
    r = only("keras2_experimental_rescaling_pass.py")
    assert r.verdict == PASS, r.reason
    assert any("layers.experimental" in n for n in r.notes), r.notes
    forced = only("keras2_rescaling_forced_3")
    assert forced.verdict == UNVERIFIED and "experimental" in forced.reason, forced.reason
    assert not any("Keras 2" in n for n in forced.notes)


# -- (h) robustness: every failure mode is UNVERIFIED with its reason ----------------------------

@uses("robust_raises.py")
def test_script_that_raises_is_unverified():
    r = only("robust_raises.py")
    assert r.verdict == UNVERIFIED
    assert "ValueError: dataset path not configured" in r.reason
    assert r.observed_range is None


@uses("robust_exit.py")
def test_script_that_exits_is_unverified():
    r = only("robust_exit.py")
    assert r.verdict == UNVERIFIED
    assert "status 3" in r.reason


@uses("robust_sleep.py")
def test_script_past_time_limit_is_unverified():
    r = only("robust_sleep.py")
    assert r.verdict == UNVERIFIED
    assert "time limit" in r.reason and r.script_status == "timeout"


@uses("robust_kill.py")
def test_script_that_kills_itself_is_unverified():
    r = only("robust_kill.py")
    assert r.verdict == UNVERIFIED
    assert "killed by signal 9" in r.reason and r.script_status == "crashed"


@uses("robust_memory.py")
def test_script_over_the_memory_limit_is_unverified():
    r = only("robust_memory.py")
    assert r.verdict == UNVERIFIED
    assert "MemoryError" in r.reason


@uses("robust_write_outside.py")
def test_write_outside_the_temporary_directory_is_refused():
    written = DATA / "robust_write_outside.out"
    r = only("robust_write_outside.py")
    assert r.verdict == UNVERIFIED
    assert "write refused" in r.reason and "robust_write_outside.out" in r.reason
    assert not written.exists()


@uses("robust_write_inside.py")
def test_relative_writes_land_in_the_temporary_directory():
    r = only("robust_write_inside.py")
    assert r.verdict == PASS, r.reason
    assert not (DATA / "checkpoints").exists()


@uses("robust_get_file.py")
def test_a_download_that_is_not_a_dataset_archive_is_refused():
    r = only("robust_get_file.py")
    assert r.verdict == UNVERIFIED
    assert "download refused" in r.reason and "flower_labels.txt" in r.reason


@uses("tfds_unit_scale_fail.py")
def test_tfds_load_gives_synthetic_uint8_examples_of_the_real_features():
    """tfds.load(..., with_info=True, as_supervised=True) of a dataset that is not here: uint8
    images spanning 0..255, so /255 shows up at MobileNetV2 as [0, 1]."""
    res = result("tfds_unit_scale_fail.py")
    r = next(x for x in res if x.backbone == "MobileNetV2")
    assert r.verdict == FAIL, r.reason
    assert approx_range(r.observed_range, 0.0, 1.0, 0.05), r.observed_range
    assert any("tfds.load('cats_vs_dogs')" in n and "uint8" in n for n in r.notes), r.notes


@uses("dataframe_unit_scale_fail.py")
def test_flow_from_dataframe_reads_a_generated_folder_of_the_tables_classes():
    r = only("dataframe_unit_scale_fail.py")
    assert r.verdict == FAIL, r.reason
    assert approx_range(r.observed_range, 0.0, 1.0, 0.05), r.observed_range
    assert any("flow_from_dataframe reads a generated folder" in n for n in r.notes), r.notes


@uses("optimizer_lr_spelling_fail.py")
def test_keras2_optimizer_spelling_is_read_not_a_crash():
    r = only("optimizer_lr_spelling_fail.py")
    assert r.verdict == FAIL, r.reason
    assert approx_range(r.observed_range, 0.0, 255.0, 0.5), r.observed_range
    assert any("lr= read as learning_rate=" in n and "decay= dropped" in n for n in r.notes), r.notes


@uses("helper_module_missing_unverified.py")
def test_a_linked_pipeline_that_got_no_data_is_not_judged_on_a_raw_batch():
    """The repository's helper module is an inert stand-in in the slice and lists no photos: the
    linked pipeline's own data never arrives, so it stays UNVERIFIED (a generated raw batch would
    FAIL it on an assumption)."""
    r = only("helper_module_missing_unverified.py")
    assert r.verdict == UNVERIFIED, r.reason
    assert r.backbone == "ResNet50" and "generated raw" not in r.reason
    # The slice ran to its end: the helper package and its submodule are both inert.
    assert r.script_status == "ok" and r.reason == "no data reached ResNet50", r.reason
    assert any("photo_index.listing is not installed here" in n for n in r.notes), r.notes


@uses("missing_folder_listdir_fail.py")
def test_listing_a_missing_folder_and_reading_its_images_gives_generated_images():
    res = result("missing_folder_listdir_fail.py")
    r = next(x for x in res if x.backbone == "MobileNetV2")
    assert r.verdict == FAIL, r.reason
    assert approx_range(r.observed_range, 0.0, 1.0, 0.05), r.observed_range
    assert any("'/datasets/leaves/train' is not here" in n for n in r.notes), r.notes
    assert any("cv2.imread" in n for n in r.notes), r.notes


@uses("archive_read_file_pass.py")
def test_a_dataset_archive_and_a_missing_sample_read_with_read_file_are_generated():
    res = result("archive_read_file_pass.py")
    r = next(x for x in res if x.backbone == "MobileNetV2")
    assert r.verdict == PASS, r.reason
    assert approx_range(r.observed_range, -1.0, 1.0, 0.1), r.observed_range
    assert any("get_file('pets.zip')" in n for n in r.notes), r.notes
    assert any("tf.io.read_file" in n for n in r.notes), r.notes


@uses("weights_none_skipped.py")
def test_weights_none_is_not_applicable():
    res = result("weights_none_skipped.py")
    assert [r.verdict for r in res] == [UNVERIFIED]
    assert res[0].not_applicable and "weights=None" in res[0].reason
    assert exit_code(res) == 2


def one_pass(tmp_path, name: str, source: str, **kwargs):
    """Verify ``source`` written to ``tmp_path/name``: its one result, a PASS."""
    script = tmp_path / name
    script.write_text(source)
    res = verify_script(script, timeout=600, **kwargs)
    assert [r.verdict for r in res] == [PASS], [r.reason for r in res]
    return res[0]


def test_backbones_are_built_frozen_and_what_reaches_them_is_judged_as_before(tmp_path):
    """verify builds every backbone trainable=False and freezes it again for the one step of a
    script that fine-tunes, so the step costs a forward pass only; the script sees the frozen
    backbone (it stops before any data if not, and after the step if it was trained), a
    Keras 2 list of class weights is not applied, and the preprocessed batch still PASSes."""
    r = one_pass(tmp_path, "finetune.py", (
        "import numpy as np\n"
        "import keras\n"
        "from keras.applications import mobilenet_v2\n"
        "base = mobilenet_v2.MobileNetV2(include_top=False, alpha=0.35, input_shape=(32, 32, 3), pooling='avg')\n"
        "if base.trainable:\n"
        "    raise SystemExit('the backbone was built trainable')\n"
        "model = keras.Sequential([base, keras.layers.Dense(2, activation='softmax')])\n"
        "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
        "x = np.random.randint(0, 256, size=(8, 32, 32, 3)).astype('float32')\n"
        "base.trainable = True\n"
        "model.fit(mobilenet_v2.preprocess_input(x), np.zeros(8), epochs=3, class_weight=[1.0, 2.0])\n"
        "if base.trainable:\n"
        "    raise SystemExit('the backbone was trained')\n"), whole_script=True)
    assert "afterwards" not in r.reason, r.reason
    assert "fit(class_weight=...): not applied (it weights the loss only)" in r.notes, r.notes
    assert any(n.startswith("batches are cut to 2 images") for n in r.notes), r.notes


def test_a_generator_indexed_past_the_generated_data_reads_from_its_start(tmp_path):
    """``gen[1]`` of a folder whose real data has many batches: the generated folder has few
    images, so the index wraps (named in the notes) instead of stopping the pipeline; its
    batches hold two images (the script stops before the backbone otherwise)."""
    r = one_pass(tmp_path, "second_batch.py", (
        "from tensorflow.keras.applications.mobilenet_v2 import MobileNetV2, preprocess_input\n"
        "from tensorflow.keras.preprocessing.image import ImageDataGenerator\n"
        "gen = ImageDataGenerator(preprocessing_function=preprocess_input).flow_from_directory(\n"
        "    'data/train', target_size=(32, 32), batch_size=32)\n"
        "images, labels = gen[9]\n"
        "if len(images) != 2:\n"
        "    raise SystemExit(f'a batch of {len(images)}')\n"
        "base = MobileNetV2(include_top=False, alpha=0.35, input_shape=(32, 32, 3))\n"
        "print(base.predict(images).shape)\n"))
    assert any("indexed past its last batch reads from its start" in n for n in r.notes), r.notes


def test_required_command_line_arguments_get_placeholders(tmp_path):
    """A script run with the arguments its author passed (``--image photo.jpg``) gets, here, a
    placeholder for each required one (an image path that is not here: its image is generated)
    instead of argparse exiting with status 2."""
    r = one_pass(tmp_path, "predict.py", (
        "import argparse\n"
        "from tensorflow.keras.applications.resnet50 import ResNet50, preprocess_input\n"
        "from tensorflow.keras.preprocessing import image\n"
        "parser = argparse.ArgumentParser()\n"
        "parser.add_argument('--image', required=True)\n"
        "parser.add_argument('--top', type=int, required=True)\n"
        "args = parser.parse_args()\n"
        "x = image.img_to_array(image.load_img(args.image, target_size=(32, 32)))\n"
        "model = ResNet50(weights='imagenet', include_top=False, input_shape=(32, 32, 3))\n"
        "print(model.predict(preprocess_input(x[None]))[:args.top].shape)\n"))
    assert any("required command-line argument(s) --image, --top given placeholders" in n for n in r.notes), r.notes


def test_a_shape_probe_in_the_pipelines_slice_is_not_judged(tmp_path):
    """The script looks at the backbone's output on a raw batch (line 6, an eager shape probe the
    static analysis does not judge) and builds its head from it, so the trained pipeline's slice
    holds the probe: what the probe feeds is not recorded, and the preprocessed training PASSes."""
    r = one_pass(tmp_path, "probe_then_fit.py", (
        'import tensorflow as tf\n'
        '\n'
        'data = tf.keras.utils.image_dataset_from_directory("photos", image_size=(32, 32), batch_size=8)\n'
        'base = tf.keras.applications.MobileNetV2(include_top=False, alpha=0.35, input_shape=(32, 32, 3))\n'
        'images, labels = next(iter(data))\n'
        'feature_batch = base(images)\n'
        'print(feature_batch.shape)\n'
        'pool = tf.keras.layers.GlobalAveragePooling2D()\n'
        'pooled = pool(feature_batch)\n'
        'print(pooled.shape)\n'
        'head = tf.keras.layers.Dense(2)\n'
        'prediction = head(pooled)\n'
        'print(prediction.shape)\n'
        'inputs = tf.keras.Input((32, 32, 3))\n'
        'x = tf.keras.applications.mobilenet_v2.preprocess_input(inputs)\n'
        'outputs = head(pool(base(x)))\n'
        'model = tf.keras.Model(inputs, outputs)\n'
        'model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n'
        'model.fit(data, epochs=2)\n'))
    assert any("shape probe at line 6 reached the backbone and is not judged" in n for n in r.notes), r.notes


def test_missing_script_is_unverified(tmp_path):
    res = verify_script(tmp_path / "nope.py")
    assert res[0].verdict == UNVERIFIED and "no such file" in res[0].reason


# -- the command line -------------------------------------------------------------------------

@uses("cli")
def test_cli_json_and_exit_code():
    proc = result("cli")
    assert proc.returncode == 1, proc.stderr
    rows = json.loads(proc.stdout)
    assert [row["verdict"] for row in rows] == ["fail", "pass"]
    for row in rows:
        assert set(row) == JSON_KEYS
    assert rows[0]["expected_range"] == [-1.0, 1.0]
    assert rows[0]["observed_range"][1] > 150


# -- --fix --verify ----------------------------------------------------------------------------

@uses("rewrite_crashing")
def test_rewrite_that_crashes_where_original_ran_is_reverted():
    keep, reason = result("rewrite_crashing")
    assert not keep
    assert "crashes where the original ran" in reason and "undefined_helper" in reason


def test_every_testdata_script_has_a_test():
    covered = set()
    for obj in list(globals().values()):
        covered.update(getattr(obj, "verify_runs", ()))
    files = {p.name for p in DATA.iterdir() if p.suffix in (".py", ".ipynb")}
    assert "cli" in covered
    assert files <= covered | set(CLI_FILES), files - covered
