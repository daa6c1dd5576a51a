"""Organisation-level output of ``fixorder batch``: per-rule table, SARIF per repository, Markdown."""

from __future__ import annotations

import json

import jsonschema

from tests.batch_helpers import make_bare_remote, make_repo
from tests.cli_helpers import BROKEN_SCRIPT, CLEAN_SCRIPT, fixorder
from tests.test_output_formats import _sarif_schema

FOLD_BROKEN = BROKEN_SCRIPT.replace("MobileNetV2", "ResNet50").replace("(160, 160, 3)", "(224, 224, 3)")


def _org(tmp_path) -> list[str]:
    make_repo(tmp_path, "alpha", {"train.py": BROKEN_SCRIPT, "src/eval.py": BROKEN_SCRIPT})
    make_repo(tmp_path, "beta", {"train.py": CLEAN_SCRIPT})
    make_repo(tmp_path, "gamma", {"train.py": BROKEN_SCRIPT, "pyproject.toml": "[tool.fixorder]\nstrategy = 2\n"})
    remote = make_bare_remote(tmp_path, "delta", {"model.py": FOLD_BROKEN})
    return ["alpha", "beta", "gamma", remote.as_uri()]


def test_table_per_repository_and_per_rule(tmp_path):
    specs = _org(tmp_path)
    proc = fixorder("batch", "--workdir", "work", *specs, cwd=tmp_path)
    assert proc.returncode == 2  # gamma's configuration is broken
    lines = proc.stdout.splitlines()
    rule_header = lines.index(next(line for line in lines if line.startswith("rule")))
    assert lines[rule_header].split() == ["rule", "findings", "repositories"]
    per_rule = {line.split()[0]: line.split()[1:] for line in lines[rule_header + 1:] if line.startswith("FO")}
    assert per_rule["FO101"] == ["3", "2"], proc.stdout  # alpha twice, delta once
    assert lines[-1].startswith("4 repositories: 3 done, 0 skipped, 1 failed; 3 findings, 3 fixable, 0 fixed;")


def test_sarif_has_one_valid_run_per_repository(tmp_path):
    specs = _org(tmp_path)
    proc = fixorder("batch", "--workdir", "work", "--output-format", "sarif", "--report", "report.json", *specs,
                    cwd=tmp_path)
    log = json.loads(proc.stdout)
    jsonschema.Draft4Validator(_sarif_schema()).validate(log)
    assert len(log["runs"]) == 4
    by_repo = {run["automationDetails"]["id"].split("/", 1)[1]: run for run in log["runs"]}
    alpha = by_repo[str(tmp_path / "alpha")]
    assert sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in alpha["results"]) == \
        ["src/eval.py", "train.py"]
    assert alpha["originalUriBaseIds"]["%SRCROOT%"]["uri"] == (tmp_path / "alpha").as_uri() + "/"
    assert alpha["versionControlProvenance"][0]["revisionId"]
    delta = by_repo[specs[3]]
    assert delta["versionControlProvenance"][0]["repositoryUri"] == specs[3]
    assert delta["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith((tmp_path / "work").as_uri())
    assert by_repo[str(tmp_path / "beta")]["results"] == []
    # The table still reaches the user, on stderr.
    assert "4 repositories: 3 done" in proc.stderr


def test_markdown_summary_for_a_tracking_issue(tmp_path):
    specs = _org(tmp_path)
    proc = fixorder("batch", "--workdir", "work", "--branch", "fixorder/fix", "--summary", "out/summary.md",
                    *specs, cwd=tmp_path)
    assert proc.returncode == 2
    text = (tmp_path / "out" / "summary.md").read_text()
    assert text.startswith("# fixorder batch summary\n\n4 repositories: 3 done, 0 skipped, 1 failed;")
    assert "| rule | findings | repositories |\n| --- | ---: | ---: |\n| FO101 | 3 | 2 |\n" in text
    rows = {line.split("|")[2].strip(): line for line in text.splitlines() if line.startswith("| [")}
    assert rows["alpha"].startswith("| [x] | alpha | done | FO101=2 | 2 | fixorder/fix |")
    assert rows["beta"].startswith("| [x] | beta | done | - | 0 |")
    assert rows["gamma"].startswith("| [ ] | gamma | failed |") and "strategy" in rows["gamma"]


def test_output_json_and_the_report_go_to_files_in_new_folders(tmp_path):
    make_repo(tmp_path, "one", {"train.py": BROKEN_SCRIPT})
    proc = fixorder("batch", "--output-format", "json", "-o", "deep/er/out.json", "--report", "new/report.json",
                    "one", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads((tmp_path / "new" / "report.json").read_text())["repositories"]
    [record] = json.loads((tmp_path / "deep" / "er" / "out.json").read_text())
    assert record["findings"] == {"FO101": 1} and "1 repository: 1 done" in proc.stderr
