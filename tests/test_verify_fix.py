"""``fixorder --fix --verify`` and ``fixorder verify`` end to end: static fixes proved at runtime.

Real TensorFlow, real scripts from testdata/verify, the real command line.
"""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import TESTDATA

VERIFY = TESTDATA / "verify"


# eager_augment_fail.py FAILs under verify (tests/test_verify.py runs it); here only the rewrite
# is verified, once, by --fix --verify itself, whose stderr states the verdict it kept.
@pytest.mark.parametrize("strategy", ["insert", "fold"])
def test_eager_shape_passes_after_fix(tmp_path, run_cli, strategy) -> None:
    script = tmp_path / "train.py"
    shutil.copy(VERIFY / "eager_augment_fail.py", script)
    result = run_cli("--fix", "--verify", "--strategy", strategy, str(script))
    assert result.returncode == 0, result.stderr
    assert "kept: verified: MobileNetV2: pass" in result.stderr
    text = script.read_text()
    assert "mobilenet_v2.preprocess_input" in text
    if strategy == "fold":
        assert "def augment_and_preprocess(images, training=None):" in text


def test_sequential_caffe_passes_with_the_unsafe_layer(tmp_path, run_cli) -> None:
    script = tmp_path / "train.py"
    shutil.copy(VERIFY / "sequential_resnet_fail.py", script)
    assert run_cli("--fix", "--verify", str(script)).returncode == 1, "the caffe fix is unsafe: not applied"
    result = run_cli("--fix", "--unsafe-fixes", "--verify", str(script))
    assert result.returncode == 0, result.stderr
    assert "layers.Lambda(keras.applications.resnet.preprocess_input)" in script.read_text()
    assert "kept: verified: ResNet50: pass" in result.stderr


def test_a_rewrite_that_fails_at_runtime_is_not_kept(tmp_path, run_cli) -> None:
    """The data is already in [-1, 1] at run time (fixorder cannot see it): the inserted
    preprocess_input would scale it twice, verify catches that, and the file stays as it was."""
    script = tmp_path / "train.py"
    script.write_text(
        "import numpy as np\n"
        "import keras\n"
        "from keras import layers\n\n"
        "augment = keras.Sequential([layers.RandomFlip('horizontal'), layers.RandomBrightness(0.01)])\n"
        "base = keras.applications.MobileNetV2(include_top=False, alpha=0.35, input_shape=(32, 32, 3))\n"
        "images = np.random.uniform(-1.0, 1.0, size=(4, 32, 32, 3)).astype('float32')\n"
        "features = base(augment(images, training=True))\n"
    )
    original = script.read_bytes()
    # The data comes from a call fixorder cannot follow: only the RandomBrightness left at its raw
    # default value_range makes it report, and the fix is then unsafe.
    result = run_cli("--fix", "--unsafe-fixes", "--verify", str(script))
    assert result.returncode == 1
    assert "fix reverted" in result.stderr
    assert script.read_bytes() == original


def test_verify_requires_fix(run_cli) -> None:
    assert run_cli("--verify", str(VERIFY / "eager_augment_fail.py")).returncode == 2


def test_a_snippet_fails_per_pipeline_and_its_fix_is_verified(tmp_path, run_cli) -> None:
    """A file that never runs as a whole (missing data directory, TPU resolver, plots, a helper
    from another notebook): the default pipeline mode still FAILs the original, keeps the fix
    after verifying it, and PASSes the rewritten file."""
    script = tmp_path / "train.py"
    shutil.copy(VERIFY / "pipeline_snippet_fail.py", script)
    # The original FAILs per pipeline: tests/test_verify.py verifies pipeline_snippet_fail.py.
    result = run_cli("--fix", "--verify", str(script))
    assert result.returncode == 0, result.stderr
    assert "kept: verified: MobileNetV2: pass" in result.stderr
    assert "keras.layers.Rescaling(1 / 127.5, offset=-1)" in script.read_text()
