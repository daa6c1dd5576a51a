"""Every fix fixture executed under ``fixorder verify``: each ``*.in.py`` FAILs, each fixed
``*.out.py`` / ``*.fold.out.py`` PASSes.

All of them run in one ``verify_batch`` (TensorFlow starts once per batch process: one per core,
one per worker under pytest-xdist), as ``fixorder verify`` runs them: each pipeline's slice,
Keras 2 for Keras-2-only files.  For speed the backbones are frozen, the one training step
runs eagerly and the generated folders hold one image per class (each image spans 0..255 in
every channel): the input that reaches the backbone is the same.

The two fixtures whose images enter through a function parameter ("callers elsewhere") are
run by a caller elsewhere: a driver script that loads the fixture and calls its function on a
batch of images from a data directory.
"""

from __future__ import annotations

import pytest

pytest.importorskip("tensorflow")

from fixorder.verify import FAIL, PASS, UNVERIFIED, verify_batch  # noqa: E402
from fixorder.verify.runner import BATCH_FALLBACK_NOTE  # noqa: E402
from tests.conftest import TESTDATA, cores_for_this_process  # noqa: E402

FIXES = TESTDATA / "fixes"
ALL_FIXTURES = sorted(p.name for p in FIXES.glob("*.py"))
INPUTS = [n for n in ALL_FIXTURES if n.endswith(".in.py")]
OUTPUTS = [n for n in ALL_FIXTURES if not n.endswith(".in.py")]

# Fixture -> the function that receives the images, called by the driver.
CALLED_ELSEWHERE = {
    "FO103_function_parameter_origin.unsafe.in.py": "build",
    "FO103_function_parameter_origin.unsafe.out.py": "build",
    "FO104_function_parameter_origin.unsafe.in.py": "embed",
    "FO104_function_parameter_origin.unsafe.out.py": "embed",
}
# A pipeline that cannot run here, by fixture: its slice stops on the import spelling the
# fixture exists to test, ``tensorflow.python.keras.applications``, gone from TensorFlow 2.16 on.
CANNOT_RUN = {name: ("(DenseNet121 (line ", "No module named 'tensorflow.python.keras.applications'")
              for name in ("import_styles.in.py", "import_styles.out.py", "import_styles.fold.out.py")}

DRIVER = '''\
import importlib.util

import keras

spec = importlib.util.spec_from_file_location("fixture", {path!r})
fixture = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fixture)
for images, labels in keras.utils.image_dataset_from_directory("photos", image_size=(224, 224)).take(1):
    fixture.{function}(images)
'''


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory) -> dict[str, list]:
    drivers = tmp_path_factory.mktemp("callers")
    paths = []
    for name in ALL_FIXTURES:
        if name in CALLED_ELSEWHERE:
            driver = drivers / name.replace(".", "_").replace("_py", ".py")
            driver.write_text(DRIVER.format(path=str(FIXES / name), function=CALLED_ELSEWHERE[name]))
            paths.append(driver)
        else:
            paths.append(FIXES / name)
    results = verify_batch(paths, timeout=600, freeze_backbones=True, eager=True, images_per_class=1,
                           processes=cores_for_this_process())
    return dict(zip(ALL_FIXTURES, results))


def _show(results) -> list:
    return [(r.backbone, r.line, r.verdict, r.reason) for r in results]

def _judged(name: str, results) -> list:
    """The results to judge: all but the one of a pipeline listed in CANNOT_RUN, which must
    still stop the way it is listed (so that it is judged again once it can run)."""
    listed = CANNOT_RUN.get(name)
    if listed is None:
        return results
    stopped = [r for r in results if r.verdict == UNVERIFIED and all(s in r.reason for s in listed)]
    assert len(stopped) == 1, _show(results)
    return [r for r in results if r is not stopped[0]]


def test_every_fixture_is_run_and_none_fell_back_to_a_process_of_its_own(verdicts) -> None:
    """The batch itself must work: a batch that dies makes every run fall back to a TensorFlow
    process of its own (correct verdicts, but about 40 minutes instead of a few)."""
    assert set(verdicts) == set(ALL_FIXTURES) and len(INPUTS) >= 50
    fell_back = [name for name, results in verdicts.items()
                 if any(BATCH_FALLBACK_NOTE in note for r in results for note in r.notes)]
    assert fell_back == []


@pytest.mark.parametrize("name", INPUTS)
def test_the_unfixed_fixture_fails_at_runtime(verdicts, name: str) -> None:
    results = _judged(name, verdicts[name])
    assert any(r.verdict == FAIL for r in results), _show(results)


@pytest.mark.parametrize("name", OUTPUTS)
def test_the_fixed_fixture_passes_at_runtime(verdicts, name: str) -> None:
    results = _judged(name, verdicts[name])
    assert results and all(r.verdict == PASS for r in results), _show(results)


def test_a_called_fixture_is_judged_once_where_its_caller_calls_it(verdicts) -> None:
    """One MobileNetV2, built when the driver calls the fixture's function (line 9 of DRIVER)."""
    for name in CALLED_ELSEWHERE:
        [result] = verdicts[name]
        assert (result.backbone, result.line) == ("MobileNetV2", 9), _show([result])
        assert result.path.endswith(".py") and "callers" in result.path


def test_a_run_the_batch_did_not_finish_runs_on_its_own_and_says_so(tmp_path) -> None:
    """What the fallback check above relies on: a script that ends the batch process (os._exit)
    leaves no result, is verified again in a child of its own, and its result carries the note
    with the batch's stderr."""
    script = tmp_path / "leaves.py"
    script.write_text("import os\nimport sys\n\nprint('leaving', file=sys.stderr)\nos._exit(3)\n")
    [[result]] = verify_batch([script], timeout=300)
    assert result.verdict == UNVERIFIED and "ended with status 3" in result.reason, result.reason
    [note] = [n for n in result.notes if BATCH_FALLBACK_NOTE in n]
    assert "leaving" in note
