"""benchmarks/realcode.py: file discovery, checking, scoring against labels, on tiny hand-written trees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.benchmark_scripts import load_benchmark





realcode = load_benchmark("realcode")

BUGGY = """\
import tensorflow as tf

base = tf.keras.applications.MobileNetV2(include_top=False, weights="imagenet")
ds = tf.keras.utils.image_dataset_from_directory("data/train", image_size=(160, 160))
ds = ds.map(lambda x, y: (x / 255.0, y))
model = tf.keras.Sequential([base, tf.keras.layers.GlobalAveragePooling2D(), tf.keras.layers.Dense(2)])
model.fit(ds)
"""

CLEAN = BUGGY.replace("x / 255.0", "tf.keras.applications.mobilenet_v2.preprocess_input(x)")

SCRATCH = BUGGY.replace('weights="imagenet"', "weights=None")


def notebook(*cells: str) -> str:
    return json.dumps({"cells": [{"cell_type": "code", "source": c, "metadata": {}, "outputs": [],
                                  "execution_count": None} for c in cells],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_discover_finds_scripts_and_notebooks_and_skips_vcs_and_checkpoints(tmp_path):
    write(tmp_path, {"a.py": "", "b.ipynb": notebook("x = 1"), "sub/c.py": "", "notes.txt": "",
                     ".git/d.py": "", ".ipynb_checkpoints/b-checkpoint.ipynb": notebook("x = 1"),
                     "sub/__pycache__/e.py": ""})
    found = [p.relative_to(tmp_path).as_posix() for p in realcode.discover(tmp_path)]
    assert found == ["a.py", "b.ipynb", "sub/c.py"]


def test_discover_accepts_a_single_file(tmp_path):
    write(tmp_path, {"one.py": BUGGY})
    assert realcode.discover(tmp_path / "one.py") == [tmp_path / "one.py"]


def test_check_tree_reports_findings_backbones_and_ids_relative_to_the_root(tmp_path):
    write(tmp_path, {"bug.py": BUGGY, "clean.py": CLEAN, "scratch/s.py": SCRATCH})
    reports = {r.id: r for r in realcode.check_tree(tmp_path)}
    assert set(reports) == {"bug.py", "clean.py", "scratch/s.py"}
    assert reports["bug.py"].codes == {"FO101"}
    assert reports["clean.py"].codes == set()
    assert reports["scratch/s.py"].codes == set()
    bug_backbones = reports["bug.py"].backbones
    assert [(b.name, b.line, b.pretrained, b.linked) for b in bug_backbones] == [("MobileNetV2", 3, True, True)]
    assert [(b.name, b.pretrained) for b in reports["scratch/s.py"].backbones] == [("MobileNetV2", False)]
    assert all(r.seconds > 0 for r in reports.values())


def test_notebooks_are_checked_as_their_joined_code_cells(tmp_path):
    cells = BUGGY.split("\n\n")
    write(tmp_path, {"nb.ipynb": notebook(*cells)})
    (report,) = realcode.check_tree(tmp_path)
    assert report.codes == {"FO101"}
    assert report.findings[0]["cell"] == 2
    assert [b.linked for b in report.backbones] == [True]


def test_unparsable_file_is_an_error_not_a_crash(tmp_path):
    write(tmp_path, {"py2.py": "print 'hello'\n", "ok.py": CLEAN})
    reports = {r.id: r for r in realcode.check_tree(tmp_path)}
    assert reports["py2.py"].error is not None
    assert reports["py2.py"].codes == set()  # FO001 is an error, not a preprocessing finding
    assert reports["ok.py"].error is None


def report(id: str, *codes: str, error: str | None = None):
    return realcode.FileReport(id, findings=[{"code": c, "line": 1, "cell": None, "message": ""} for c in codes],
                               error=error)


def label(id: str, verdict: str, *codes: str) -> dict:
    return {"id": id, "verdict": verdict, "expected_codes": list(codes), "repo": "o/r", "path": id}


def test_score_counts_right_files_found_bugs_false_positives_and_misses():
    reports = [report("hit.py", "FO101"), report("miss.py"), report("wrong.py", "FO104"),
               report("extra.py", "FO101", "FO102"), report("clean.py"), report("fp.py", "FO101"),
               report("na.py"), report("broken.py", "FO001", error="syntax error"), report("stray.py"),
               report("half.py", "FO101")]
    labels = {x["id"]: x for x in [
        label("hit.py", "missing_preprocess", "FO101"), label("miss.py", "missing_preprocess", "FO101"),
        label("wrong.py", "wrong_family_preprocess", "FO103"), label("extra.py", "missing_preprocess", "FO101"),
        label("clean.py", "correct"), label("fp.py", "correct"), label("na.py", "not_applicable"),
        label("broken.py", "missing_preprocess", "FO101"), label("gone.py", "correct"),
        label("half.py", "missing_preprocess", "FO101", "FO105")]}  # two backbones, one bug each
    result = realcode.score(reports, labels)
    assert result.labelled == 9
    assert result.missing == ["gone.py"]
    assert result.unlabelled == ["stray.py"]
    assert result.files_right == 3  # hit, clean, na: extra.py has one code too many
    assert (result.bug_files, result.bugs_found) == (6, 2)  # hit and extra report every expected code
    assert (result.clean_files, result.false_positive_files) == (3, 1)
    assert result.parse_errors == 1
    assert sorted(m["id"] for m in result.misses) == ["broken.py", "half.py", "miss.py", "wrong.py"]
    assert [m["id"] for m in result.false_positives] == ["fp.py"]
    assert result.confusion["missing_preprocess"] == {"FO101": 2, "silent": 2, "FO101+FO102": 1}
    assert result.confusion["wrong_family_preprocess"] == {"FO104": 1}
    assert result.confusion["correct"] == {"silent": 1, "FO101": 1}


@pytest.mark.parametrize("codes, expected", [(set(), "silent"), ({"FO101"}, "FO101"),
                                             ({"FO102", "FO101"}, "FO101+FO102")])
def test_outcome_names_what_fixorder_reported(codes, expected):
    assert realcode.outcome(codes) == expected


def test_main_scores_a_labelled_tree_as_json(tmp_path, capsys):
    root = tmp_path / "tree"
    write(root, {"bug.py": BUGGY, "clean.py": CLEAN})
    labels = tmp_path / "labels.jsonl"
    labels.write_text("\n".join(json.dumps(x) for x in [label("bug.py", "missing_preprocess", "FO101"),
                                                          label("clean.py", "correct")]) + "\n")
    misses = tmp_path / "misses.json"
    assert realcode.main([str(root), "--labels", str(labels), "--json", "--misses", str(misses)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["score"]["bugs_found"] == 1 and data["score"]["false_positive_files"] == 0
    assert {f["id"]: f["codes"] for f in data["files"]} == {"bug.py": ["FO101"], "clean.py": []}
    assert json.loads(misses.read_text()) == {"labelled": [], "mutation": []}


def test_main_prints_a_readable_report(tmp_path, capsys):
    write(tmp_path, {"bug.py": BUGGY})
    assert realcode.main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "bug.py: FO101" in out
    assert "backbone MobileNetV2 line 3: pretrained, linked to data" in out
    assert "1 files, 1 with findings" in out


def test_main_on_a_missing_directory_is_a_one_line_error(tmp_path, capsys):
    assert realcode.main([str(tmp_path / "nope")]) == 2
    assert "no such file or directory" in capsys.readouterr().err
