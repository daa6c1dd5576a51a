"""The fixes as libcst codemods: CodemodTest cases and the real `python -m libcst.tool codemod`."""

from __future__ import annotations

import shutil
import subprocess
import sys

import libcst as cst
import pytest
from libcst.codemod import CodemodTest

from codemods.commands import FoldPreprocessCommand, InsertPreprocessCommand
from tests.conftest import ROOT, TESTDATA

BEFORE = """
import keras

base = keras.applications.MobileNetV2(include_top=False)
flip = keras.layers.RandomFlip()
inputs = keras.Input((96, 96, 3))
outputs = base(flip(inputs))
"""


class TestInsertPreprocessCommand(CodemodTest):
    TRANSFORM = InsertPreprocessCommand

    def test_wraps_the_backbone_input(self) -> None:
        after = BEFORE.replace("outputs = base(flip(inputs))",
                               "outputs = base(keras.applications.mobilenet_v2.preprocess_input(flip(inputs)))")
        self.assertCodemod(BEFORE, after)

    def test_adds_an_import_in_the_file_style(self) -> None:
        before = """
from keras.applications import DenseNet121
from keras.layers import Input, RandomFlip

keras_input = Input((224, 224, 3))
x = DenseNet121(include_top=False)(RandomFlip()(keras_input))
"""
        after = """
from keras.applications import DenseNet121
from keras.layers import Input, RandomFlip
from keras.applications.densenet import preprocess_input

keras_input = Input((224, 224, 3))
x = DenseNet121(include_top=False)(preprocess_input(RandomFlip()(keras_input)))
"""
        self.assertCodemod(before, after)

    def test_unsafe_fix_needs_the_flag(self) -> None:
        before = """
import keras

model = keras.Sequential([keras.layers.RandomFlip(), keras.applications.VGG16(include_top=False)])
"""
        after = """
import keras

model = keras.Sequential([
    keras.layers.RandomFlip(),
    keras.layers.Lambda(keras.applications.vgg16.preprocess_input),
    keras.applications.VGG16(include_top=False),
])
"""
        self.assertCodemod(before, before, expected_skip=True)
        self.assertCodemod(before, after, unsafe_fixes=True)

    def test_clean_file_is_skipped(self) -> None:
        clean = BEFORE.replace("base(flip(inputs))", "base(keras.applications.mobilenet_v2.preprocess_input(flip(inputs)))")
        self.assertCodemod(clean, clean, expected_skip=True)


class TestFoldPreprocessCommand(CodemodTest):
    TRANSFORM = FoldPreprocessCommand

    def test_folds_augmentation_and_preprocessing(self) -> None:
        after = """
import keras

base = keras.applications.MobileNetV2(include_top=False)
flip = keras.layers.RandomFlip()


def augment_and_preprocess(images, training=None):
    return keras.applications.mobilenet_v2.preprocess_input(
        flip(images, training=training)
    )


inputs = keras.Input((96, 96, 3))
outputs = base(augment_and_preprocess(inputs))
"""
        self.assertCodemod(BEFORE, after)


def test_libcst_tool_runs_the_codemods(tmp_path) -> None:
    """`python -m libcst.tool codemod` finds the commands through .libcst.codemod.yaml."""
    target = tmp_path / "train.py"
    shutil.copy(TESTDATA / "fixes" / "eager_augmented_batch.in.py", target)
    for command, expected in (("commands.InsertPreprocessCommand", "eager_augmented_batch.out.py"),
                              ("commands.FoldPreprocessCommand", "eager_augmented_batch.fold.out.py")):
        shutil.copy(TESTDATA / "fixes" / "eager_augmented_batch.in.py", target)
        result = subprocess.run([sys.executable, "-m", "libcst.tool", "codemod", "--no-format", "--hide-progress",
                                 command, str(target)], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert target.read_text() == (TESTDATA / "fixes" / expected).read_text()


@pytest.mark.parametrize("source, kept", [
    ("from m import f as g\ng(1)\n", True),   # the alias is still used
    ("from m import f as g\n", False),        # nothing uses it
    ("from m import f\nf(1)\n", True),
    ("from m import f\n", False),
    ("from m import f as f\nf(1)\n", True),   # `f as f` spells the name twice itself
    ("from m import f as f\n", False),
])
def test_remove_unused_imports_counts_the_import_own_spelling(source, kept):
    from codemods.actions import RemoveImportIfUnused, remove_unused_imports

    module = cst.parse_module(source)
    alias = "g" if " as g" in source else ("f" if " as f" in source else None)
    new = remove_unused_imports(module, [RemoveImportIfUnused("m", "f", alias)])
    assert ("import" in new.code) is kept
