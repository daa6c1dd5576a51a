"""The raw-bytes pre-filter is sound: it never rejects a file that can have a finding."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fixorder.inputs import prefilter
from fixorder.analysis import names
from fixorder.catalog import load
from fixorder.run.engine import check_source
from fixorder.inputs.options import Options

ROOT = Path(__file__).resolve().parent.parent
TESTDATA = ROOT / "testdata"
CASES = sorted(p for p in TESTDATA.rglob("*.py"))
CASES_WITH_FINDINGS = [p for p in CASES if p.with_suffix(".txt").is_file() and p.with_suffix(".txt").read_text().strip()]
EVERY_RULE = Options()


def test_there_are_cases_with_findings():
    assert len(CASES_WITH_FINDINGS) >= 10


@pytest.mark.parametrize("case", CASES_WITH_FINDINGS, ids=lambda p: str(p.relative_to(TESTDATA)))
def test_every_case_with_findings_passes_the_filter(case):
    assert prefilter.may_have_findings(case.read_bytes())
    assert prefilter.names_may_have_findings(case.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=lambda p: str(p.relative_to(TESTDATA)))
def test_without_the_name_the_analysis_finds_nothing(case):
    """Soundness, shown on the analysis itself: take the name away and every finding goes."""
    text = case.read_text(encoding="utf-8")
    before = check_source(str(case), text, EVERY_RULE)
    mangled = text.replace(prefilter.REQUIRED_NAME, "applicatoins")
    after = check_source(str(case), mangled, EVERY_RULE)
    assert not prefilter.may_have_findings(mangled.encode())
    assert after.error is None
    assert after.findings == []
    if case in CASES_WITH_FINDINGS:
        assert before.findings  # the case itself still has its findings


@pytest.mark.parametrize("case", CASES_WITH_FINDINGS, ids=lambda p: str(p.relative_to(TESTDATA)))
def test_the_name_only_in_prose_finds_nothing(case):
    """Second stage: the word left in a comment and a docstring, but no longer an identifier."""
    text = case.read_text(encoding="utf-8").replace(prefilter.REQUIRED_NAME, "applicatoins")
    prose = '"""Uses keras.applications.MobileNetV2."""\n# see tf.keras.applications\n' + text
    assert prefilter.may_have_findings(prose.encode())
    assert not prefilter.names_may_have_findings(prose)
    assert check_source(str(case), prose, EVERY_RULE).findings == []


@pytest.mark.parametrize("source", [
    "from keras import applications\n",
    "from keras import applications as A\n",
    "import tensorflow.keras.applications\n",
    "import keras.applications.mobilenet_v2 as m\n",
    "import tensorflow.keras.applications.resnet50\n",
    "from keras.applications import mobilenet_v2 as m\n",
    "from keras.applications.mobilenet_v2 import MobileNetV2 as M\n",
    "from tf_keras.applications.vgg16 import VGG16\n",
    "import tensorflow as tf\nm = tf.keras.applications.VGG16()\n",
    "from . import applications\n",
    "applications = None\n",
])
def test_second_stage_passes_every_identifier_spelling(source):
    assert prefilter.names_may_have_findings(source)
    assert not prefilter.names_may_have_findings(source.replace(prefilter.REQUIRED_NAME, "applicatoins"))


def test_the_runner_loses_no_finding_of_any_case(tmp_path, monkeypatch):
    """Through the whole run (pre-filter stages 1 and 2, then the analysis): every case keeps
    exactly the findings ``check_source`` gives it, so a file the filter wrongly drops shows.
    ``FO101/module_import_alias.py`` names the module only in ``import ...applications.x as m``."""
    from fixorder.run.runner import run

    assert (TESTDATA / "FO101" / "module_import_alias.py") in CASES_WITH_FINDINGS
    monkeypatch.chdir(TESTDATA)
    result = run(["."], EVERY_RULE, jobs=1)
    got: dict[str, list[tuple]] = {}
    for f in result.findings:
        got.setdefault(f.path, []).append((f.line, f.column, f.code))
    for case in CASES_WITH_FINDINGS:
        relative = str(case.relative_to(TESTDATA))
        expected = [(f.line, f.column, f.code) for f in check_source(relative, case.read_text(), EVERY_RULE).findings]
        assert sorted(got.get(relative, [])) == sorted(expected), relative


def _full_walk(text: str) -> bool:
    """The second stage's question answered by visiting every node (what it did before pruning)."""
    import ast

    return any(prefilter._is_required_identifier(node) for node in ast.walk(ast.parse(text)))


_WHERE_THE_NAME_CAN_HIDE = [
    "@keras.applications.register\n@other\n\ndef f():\n    pass\n",  # a decorator precedes its def's line
    "@applications\nclass A:\n    pass\n",
    "class A(\n    keras.applications.Base):\n    pass\n",
    'x = f"""\n{keras.applications.VGG16}\n"""\n',  # inside a multi-line f-string
    'x = f"{y!r:{applications}}"\n',
    "x = 1\ry = keras.applications\r",  # old Mac line ends count as lines
    "x = 1\r\ny = 2\r\nz = keras.applications\r\n",
    "\x0cx = 1\n\x0cy = keras.applications\n",  # a form feed does not
    "x = [a for a in\n     applications.names]\n",
    "try:\n    pass\nexcept (\n  applications.Error):\n    pass\n",
    "match x:\n    case applications.A:\n        pass\n",
    "with open(p) as (\n  applications):\n    pass\n",
    "f = lambda a=applications: a\n",
    "def f(x: applications.T = 1) -> applications.U:\n    pass\n",
    "def f():\n    x: applications.T = 1\n",
    "if False:\n    import keras.applications\n",
    "from keras import (\n    applications,\n)\n",
    "from keras.\\\napplications import VGG16\n",
    '"""Docs about applications."""\nimport keras\n',
    "x = 1  # applications\n",
    "f(applications=1)\n",
    "s = 'applications'\n",
]


@pytest.mark.parametrize("source", _WHERE_THE_NAME_CAN_HIDE)
def test_second_stage_prunes_nothing_that_holds_the_name(source):
    assert prefilter.names_may_have_findings(source) == _full_walk(source)


def test_second_stage_agrees_with_a_full_walk_on_every_case():
    for case in CASES:
        text = case.read_text(encoding="utf-8")
        if prefilter.REQUIRED_NAME in text:
            assert prefilter.names_may_have_findings(text) == _full_walk(text), case


def test_an_identifier_only_cpython_normalises_to_the_name_is_not_needed():
    """The one place the pruned walk answers False where a full walk says True: an identifier
    that NFKC turns into the name (fullwidth letters).  libcst keeps the spelling, so the
    analysis cannot resolve a backbone through it either."""
    source = ("import tensorflow as tf\nfrom tensorflow.keras import \uff41pplications\n"
              "base = \uff41pplications.MobileNetV2(include_top=False)\n"
              "features = base(tf.random.uniform((1, 224, 224, 3), maxval=255))  # applications\n"
              "tf.io.write_file('f', tf.io.serialize_tensor(features))\n")  # kept: not a shape probe
    assert _full_walk(source)
    assert not prefilter.names_may_have_findings(source)
    assert check_source("t.py", source, EVERY_RULE).findings == []
    assert check_source("t.py", source.replace("\uff41", "a"), EVERY_RULE).findings  # the same code, spelt out


def test_second_stage_passes_what_cpython_cannot_parse():
    assert prefilter.names_may_have_findings("# applications\ndef f(:\n")
    # Python 3.12 syntax that 3.11's parser rejects still goes on to libcst.
    assert prefilter.names_may_have_findings("type Alias = int  # applications\n") or sys.version_info >= (3, 12)


def _spellings():
    """Every way the catalogue's backbones and preprocess functions can be spelled, and the same
    paths with the ``applications`` component dropped."""
    catalog = load()
    prefixes = ["tensorflow.python.keras", "tensorflow.compat.v2.keras", "tensorflow.keras", "keras._tf_keras.keras",
                "tf_keras.src", "tf_keras", "keras.src", "keras"]
    for prefix in prefixes:
        for backbone in catalog.backbones.values():
            for path in (f"{backbone.name}", f"{backbone.module}.{backbone.name}", f"{backbone.module}.preprocess_input"):
                yield f"{prefix}.applications.{path}", True
                yield f"{prefix}.{path}", False
                yield f"{prefix}.layers.{path}", False


def test_only_names_with_the_word_resolve_to_applications():
    for qualified, has_word in _spellings():
        canon = names.canonical(qualified)
        resolves = canon is not None and canon[1].split(".")[0] == "applications"
        assert resolves == has_word, qualified
        assert (prefilter.REQUIRED_NAME in qualified) == has_word


def test_rejects_keras_code_without_the_name():
    source = b"import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.layers.RandomFlip()])\n"
    assert not prefilter.may_have_findings(source)
    assert prefilter.may_have_findings(source + b"base = tf.keras.applications.MobileNetV2()\n")


def test_non_ascii_compatible_encodings_are_decoded_first():
    text = "# -*- coding: cp500 -*-\nfrom keras import applications\n"
    assert prefilter.may_have_findings(text.encode("cp500"), "cp500")
    assert not prefilter.may_have_findings("import os\n".encode("cp500"), "cp500")
    # UTF-7 can spell ASCII letters as base64: a byte search would miss this one.
    hidden = "applications".encode("utf-7")
    spelled = b"+AGEAcABwAGwAaQBjAGEAdABpAG8AbgBz-"
    assert spelled.decode("utf-7") == "applications" and spelled != hidden
    assert prefilter.may_have_findings(b"import keras\nkeras." + spelled + b".VGG16()\n", "utf-7")


def _notebook(*cells: str) -> dict:
    return {"cells": [{"cell_type": "code", "source": c.splitlines(keepends=True), "metadata": {},
                       "outputs": [], "execution_count": None} for c in cells],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_notebooks_are_filtered_on_raw_json():
    relevant = json.dumps(_notebook("import keras", "base = keras.applications.VGG16()")).encode()
    irrelevant = json.dumps(_notebook("import keras", "model = keras.Sequential()")).encode()
    assert prefilter.may_have_findings(relevant, notebook=True)
    assert not prefilter.may_have_findings(irrelevant, notebook=True)


def test_notebook_json_escapes_cannot_hide_the_name():
    escaped = json.dumps(_notebook("base = keras.applications.VGG16()")).replace("applications", "\\u0061pplications")
    assert "applications" not in escaped
    assert json.loads(escaped)["cells"][0]["source"] == ["base = keras.applications.VGG16()"]
    assert prefilter.may_have_findings(escaped.encode(), notebook=True)
    # Escapes of other characters (common: non-ASCII text in outputs) do not let a notebook through.
    other = json.dumps(_notebook("print('caf\u00e9')")).encode()
    assert b"\\u00e9" in other
    assert not prefilter.may_have_findings(other, notebook=True)


def test_a_notebook_with_a_finding_passes_both_stages_of_the_runner(tmp_path, monkeypatch):
    """The runner's notebook path (stage 1 on the raw JSON, stage 2 on the joined code cells)
    keeps a notebook whose code has the bug, and drops one that names the backbone in prose only."""
    from fixorder.run.runner import run

    broken = (TESTDATA / "FO101" / "module_import_alias.py").read_text()
    (tmp_path / "broken.ipynb").write_text(json.dumps(_notebook(broken)))
    prose = _notebook("import keras", "model = keras.Sequential()")
    prose["cells"].insert(0, {"cell_type": "markdown", "source": ["keras.applications.VGG16"], "metadata": {}})
    (tmp_path / "prose.ipynb").write_text(json.dumps(prose))
    monkeypatch.chdir(tmp_path)
    result = run(["."], EVERY_RULE, jobs=1)
    expected = [f.code for f in check_source("broken.py", broken, EVERY_RULE).findings]
    assert expected and [f.code for f in result.findings if f.path == "broken.ipynb"] == expected
    assert not [f for f in result.findings if f.path == "prose.ipynb"]
    assert result.analysed == 1


_IMPORTED_LIBCST = """
import sys
from fixorder.inputs.options import Options
from fixorder.run.runner import run
result = run([sys.argv[1]], Options())
print(len(result.files), result.analysed, any(m == "libcst" or m.startswith("libcst.") for m in sys.modules))
"""


def _run_and_report_libcst(tree: Path) -> list[str]:
    out = subprocess.run([sys.executable, "-c", _IMPORTED_LIBCST, str(tree)], capture_output=True, text=True,
                         check=True, cwd=tree)
    return out.stdout.split()


def test_libcst_is_imported_only_when_some_file_passes(tmp_path):
    (tmp_path / "model.py").write_text("import keras\nmodel = keras.Sequential()\n")
    (tmp_path / "util.py").write_text("def f(x):\n    return x + 1\n")
    (tmp_path / "broken.py").write_text("def f(:\n")  # cannot matter, so it is never parsed
    assert _run_and_report_libcst(tmp_path) == ["3", "0", "False"]
    (tmp_path / "train.py").write_text("from keras.applications import VGG16\nbase = VGG16()\n")
    assert _run_and_report_libcst(tmp_path) == ["4", "1", "True"]
