"""benchmarks/corpus/restore.py: files restored from fetched git dirs (or a directory) and checked by sha256."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "corpus" / "restore.py"
spec = importlib.util.spec_from_file_location("corpus_restore", SCRIPT)
restore = importlib.util.module_from_spec(spec)
sys.modules["corpus_restore"] = restore  # dataclasses look their module up
spec.loader.exec_module(restore)

GOOD = b"import tensorflow as tf\nprint('real code')\n"


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def mirror(tmp_path):
    """A fetched-snapshot layout: <root>/owner+name/repo with one committed file."""
    work = tmp_path / "mirror" / "owner+name" / "repo"
    (work / "src").mkdir(parents=True)
    (work / "src" / "train.py").write_bytes(GOOD)
    git("init", "-q", cwd=work)
    git("add", ".", cwd=work)
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "c", cwd=work)
    return tmp_path / "mirror", git("rev-parse", "HEAD", cwd=work)


def write_labels(path: Path, commit: str, sha: str, extra: list[dict] = ()) -> Path:
    rows = [{"id": "abc-train.py", "repo": "owner/name", "path": "src/train.py", "commit": commit, "sha256": sha},
            *extra]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_restores_from_git_dirs_and_checks(mirror, tmp_path, capsys):
    root, commit = mirror
    labels = write_labels(tmp_path / "labels.jsonl", commit, hashlib.sha256(GOOD).hexdigest())
    out = tmp_path / "files"
    assert restore.main([str(root), "--labels", str(labels), "--out", str(out)]) == 0
    assert (out / "abc-train.py").read_bytes() == GOOD
    assert restore.main(["--check", "--labels", str(labels), "--out", str(out)]) == 0
    assert "1/1 corpus files present and verified" in capsys.readouterr().out


def test_mismatch_and_missing_are_reported_and_never_written(mirror, tmp_path, capsys):
    root, commit = mirror
    gone = {"id": "def-gone.py", "repo": "other/repo", "path": "x.py", "commit": commit, "sha256": "0" * 64}
    labels = write_labels(tmp_path / "labels.jsonl", commit, "f" * 64, [gone])
    out = tmp_path / "files"
    assert restore.main([str(root), "--labels", str(labels), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "abc-train.py: sha256 mismatch" in err
    assert "def-gone.py: missing: repository other/repo not fetched" in err
    assert list(out.iterdir()) == []


def test_restores_from_a_directory_of_files_named_by_id(tmp_path):
    source = tmp_path / "copy"
    source.mkdir()
    (source / "abc-train.py").write_bytes(GOOD)
    labels = write_labels(tmp_path / "labels.jsonl", "0" * 40, hashlib.sha256(GOOD).hexdigest())
    out = tmp_path / "files"
    assert restore.main(["--from", str(source), "--labels", str(labels), "--out", str(out)]) == 0
    assert (out / "abc-train.py").read_bytes() == GOOD
    (out / "abc-train.py").write_bytes(b"changed\n")
    assert restore.main(["--check", "--labels", str(labels), "--out", str(out)]) == 1


def test_committed_labels_are_well_formed():
    rows = [json.loads(line) for line in (SCRIPT.parent / "labels.jsonl").read_text().splitlines() if line.strip()]
    assert len(rows) >= 100
    assert len({r["id"] for r in rows}) == len(rows)
    # shared/ sits beside the clone (CI) or beside the worktrees' parent (development).
    for held_out in (SCRIPT.parents[3] / "shared" / "heldout-repos.txt",
                     SCRIPT.parents[4] / "shared" / "heldout-repos.txt"):
        if not held_out.is_file():
            continue
        names = {line.strip().lower() for line in held_out.read_text().splitlines() if line.strip()}
        assert not [r["repo"] for r in rows if r["repo"].lower() in names]
    codes = {"missing_preprocess": ["FO101"], "preprocess_before_augment": ["FO102"],
             "wrong_family_preprocess": ["FO103"], "double_scaling": ["FO104"],
             "rescale_before_builtin_preprocessing_backbone": ["FO105"], "builtin_preprocessing_disabled": ["FO106"],
             "correct": [], "not_applicable": []}
    for r in rows:
        assert r["expected_codes"] == codes[r["verdict"]], r["id"]
        assert len(r["sha256"]) == 64 and len(r["commit"]) == 40 and r["kind"] in ("script", "notebook")
        assert r["reason"] and r["lines"]
