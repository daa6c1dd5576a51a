"""``fixorder explain`` through the real CLI: paths, verdicts, probes and where the flow is lost."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FIXORDER = [sys.executable, "-m", "fixorder.cli"]


def _explain(tmp_path: Path, name: str, source: str, *extra: str) -> subprocess.CompletedProcess:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return subprocess.run([*FIXORDER, "explain", *extra, name], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)


BUGGY = """\
import tensorflow as tf
data = tf.keras.utils.image_dataset_from_directory("d")
flip = tf.keras.layers.RandomFlip()
base = tf.keras.applications.MobileNetV2(include_top=False)
for images, labels in data:
    feats = base(flip(images) / 255.0)
    tf.io.write_file("f", tf.io.serialize_tensor(feats))
"""


def test_a_linked_path_with_its_stages_lines_and_finding(tmp_path: Path) -> None:
    done = _explain(tmp_path, "train.py", BUGGY)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "train.py: 1 pretrained backbone, 1 linked to data"
    assert lines[1] == "  MobileNetV2 at line 4 (expects [-1, 1], tf mode)"
    assert lines[2] == ("    path 1: image_dataset_from_directory (line 2) -> RandomFlip (line 3) "
                        "-> x / 255 (line 6) -> MobileNetV2 (line 6)")
    assert lines[3] == "      verdict: FO101 (FO101 at line 6)"


def test_json_form_for_tools(tmp_path: Path) -> None:
    done = _explain(tmp_path, "train.py", BUGGY, "--output-format", "json")
    assert done.returncode == 0, done.stderr
    [report] = json.loads(done.stdout)
    assert (report["backbones_found"], report["backbones_linked"]) == (1, 1)
    [backbone] = report["backbones"]
    assert backbone["name"] == "MobileNetV2" and backbone["expects"] == "tf" and backbone["linked"]
    [path] = backbone["paths"]
    assert [s["kind"] for s in path["stages"]] == ["augment", "scale"]
    assert path["source"] == {"label": "image_dataset_from_directory", "kind": "raw",
                              "at": {"line": 2, "column": 8}}
    assert path["verdict"] == "FO101" and [f["code"] for f in report["findings"]] == ["FO101"]


def test_a_correct_path_and_a_shape_probe(tmp_path: Path) -> None:
    source = """\
import tensorflow as tf
data = tf.keras.utils.image_dataset_from_directory("d")
base = tf.keras.applications.Xception(include_top=False)
sample, _ = next(iter(data))
print(base(sample).shape)
x_in = tf.keras.Input((299, 299, 3))
x = tf.keras.applications.xception.preprocess_input(tf.keras.layers.RandomFlip()(x_in))
model = tf.keras.Model(x_in, base(x))
model.fit(data)
"""
    done = _explain(tmp_path, "probe.py", source)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "      verdict: correct" in out
    assert "    probe at line 5: `base(sample)` only looks at the result: not judged" in out


def test_a_backbone_only_probed(tmp_path: Path) -> None:
    source = """\
import tensorflow as tf
data = tf.keras.utils.image_dataset_from_directory("d")
base = tf.keras.applications.Xception(include_top=False)
for batch, _ in data:
    print(base(batch).shape)
"""
    done = _explain(tmp_path, "probe.py", source)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "    only shape probes reach it: no data path to judge"


def test_where_the_flow_was_lost(tmp_path: Path) -> None:
    source = """\
import tensorflow as tf
import trainer_lib
base = tf.keras.applications.ResNet50(include_top=False)
pic = tf.keras.Input((224, 224, 3))
net = tf.keras.Model(pic, base(pic))


def step(batch):
    return net(batch)


trainer_lib.loop(step, epochs=3)
"""
    done = _explain(tmp_path, "loop.py", source)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "loop.py: 1 pretrained backbone, 0 linked to data"
    assert "    path 1: parameter 'batch' (line 8) -> ResNet50 (line 5)" in done.stdout
    assert ("    not linked to data: parameter 'batch' is never bound to known data in this file; "
            "calls fixorder could not follow that take a model or a function: trainer_lib.loop at line 12") in done.stdout


def test_untrained_backbone_and_unknown_data(tmp_path: Path) -> None:
    source = """\
import tensorflow as tf
import loader
scratch = tf.keras.applications.ResNet50(weights=None)
scratch.fit(loader.images())
base = tf.keras.applications.MobileNetV2()
loader.store(base.predict(loader.images()))
"""
    done = _explain(tmp_path, "mixed.py", source)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.splitlines()[0] == "mixed.py: 1 pretrained backbone, 0 linked to data"
    assert "    weights=None and no weights loaded later: no input contract to check" in out
    assert "      lost: the data comes from `loader.images()` at line 6 that fixorder cannot follow" in out
    assert "probe" not in out  # fit learns, and predict's result is kept: neither is a probe


def test_notebook_places_are_cells(tmp_path: Path) -> None:
    cells = [
        "import tensorflow as tf\n",
        "data = tf.keras.utils.image_dataset_from_directory('d')\nbase = tf.keras.applications.DenseNet121()\n",
        "for x, y in data:\n    out = base(tf.keras.layers.RandomFlip()(x))\n    tf.io.write_file('o', tf.io.serialize_tensor(out))\n",
    ]
    notebook = {"cells": [{"cell_type": "code", "source": c, "metadata": {}, "outputs": [], "execution_count": None}
                          for c in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    done = _explain(tmp_path, "nb.ipynb", json.dumps(notebook))
    assert done.returncode == 0, done.stderr
    assert "  DenseNet121 at cell 2, line 2" in done.stdout
    assert "-> DenseNet121 (cell 3, line 2)" in done.stdout
    # The path's verdict is check's finding (matched in the joined program, shown in its cell).
    assert "      verdict: FO101 (FO101 at cell 3, line 2)" in done.stdout, done.stdout


def test_a_syntax_error_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = _explain(tmp_path, "bad.py", "def (:\n")
    assert done.returncode == 2
    assert done.stderr.strip() == "fixorder: error: bad.py: syntax error at line 1, column 5: invalid syntax"
    assert done.stdout == ""


def test_the_check_summary_counts_backbones_found_and_linked_cold_and_from_the_cache(tmp_path: Path) -> None:
    (tmp_path / "linked.py").write_text(BUGGY, encoding="utf-8")
    (tmp_path / "unfed.py").write_text("import tensorflow as tf\nbase = tf.keras.applications.VGG16()\n"
                                      "scratch = tf.keras.applications.VGG19(weights=None)\n", encoding="utf-8")
    runs = [subprocess.run([*FIXORDER, "--output-format", "concise", "."], capture_output=True, text=True,
                           cwd=tmp_path, timeout=120) for _ in range(2)]
    for done in runs:
        summary = done.stderr.strip().splitlines()[-1]
        assert summary.startswith("fixorder: 2 files checked. 2 pretrained backbones found, 1 linked to data."), summary
    assert (tmp_path / ".fixorder_cache").is_dir()  # the second run was served from the cache
