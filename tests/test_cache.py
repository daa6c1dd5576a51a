"""An unchanged file is not parsed again; any change to it, the options or fixorder is noticed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fixorder.run import cache
from fixorder.inputs.options import Options
from fixorder.run.runner import run

ROOT = Path(__file__).resolve().parent.parent
FO101 = ROOT / "testdata" / "FO101"
RELEVANT = ["nested_calls.py", "import_styles.py", "functional_chain_preprocessed.py"]


@pytest.fixture
def tree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    src = tmp_path / "src"
    src.mkdir()
    for name in RELEVANT:
        (src / name).write_bytes((FO101 / name).read_bytes())
    (src / "plain.py").write_text("import os\nprint(os.getcwd())\n")
    (src / "broken.py").write_text("from keras import applications\ndef f(:\n")
    return src


def _report(result) -> str:
    return json.dumps([f.to_json() for f in result.findings], sort_keys=True) + json.dumps(result.errors)


def test_unchanged_files_are_not_parsed_again(tree, tmp_path):
    cold = run([str(tree)], Options(), cache_dir=tmp_path / "c")
    assert cold.analysed == 4  # plain.py never passes the pre-filter
    warm = run([str(tree)], Options(), cache_dir=tmp_path / "c")
    assert warm.analysed == 0
    assert _report(warm) == _report(cold)
    assert [f.fix is not None and f.fix.action is not None for f in warm.findings] == \
        [f.fix is not None and f.fix.action is not None for f in cold.findings]
    assert warm.sources.keys() >= {f.path for f in warm.findings}


def test_a_changed_file_is_analysed_again(tree, tmp_path):
    run([str(tree)], Options(), cache_dir=tmp_path / "c")
    target = tree / "nested_calls.py"
    target.write_text(target.read_text() + "# edited\n")
    assert run([str(tree)], Options(), cache_dir=tmp_path / "c").analysed == 1
    (tree / "plain.py").write_text("from keras.applications import VGG16\nVGG16()\n")
    assert run([str(tree)], Options(), cache_dir=tmp_path / "c").analysed == 1


def test_a_same_size_edit_is_analysed_again(tree, tmp_path):
    """Size alone does not identify a file: an edit that keeps the size must not return the
    old "0 findings" (here the edit removes the preprocessing, so a finding appears)."""
    target = tree / "functional_chain_preprocessed.py"
    text = target.read_text()
    first = run([str(tree)], Options(), cache_dir=tmp_path / "c")
    assert not [f for f in first.findings if f.path.endswith(target.name)]
    edited = _remove_preprocessing_same_size(text)
    assert len(edited.encode()) == len(text.encode()) and edited != text
    st = target.stat()
    target.write_text(edited)
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
    assert target.stat().st_size == st.st_size
    second = run([str(tree)], Options(), cache_dir=tmp_path / "c")
    assert second.analysed == 1
    assert [f.code for f in second.findings if f.path.endswith(target.name)] == ["FO101"]


def _remove_preprocessing_same_size(text: str) -> str:
    """Replace the preprocessing call ``preprocess_input(x)`` by a same-length no-op."""
    import re

    match = re.search(r"\b(?:\w+\.)*preprocess_input\((\w+)\)", text)
    assert match, "the fixture preprocesses with a call on a name"
    call, argument = match.group(0), match.group(1)
    return text.replace(call, "(" + argument + ")" + " " * (len(call) - len(argument) - 2), 1)


def test_same_bytes_with_a_new_mtime_is_still_a_hit(tree, tmp_path):
    run([str(tree)], Options(), cache_dir=tmp_path / "c")
    target = tree / "import_styles.py"
    st = target.stat()
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    assert run([str(tree)], Options(), cache_dir=tmp_path / "c").analysed == 0


def test_a_content_hit_records_the_new_mtime_so_the_next_run_trusts_the_stat(tree, tmp_path):
    """After a touch (same bytes, new mtime) the content still matches: a hit, not analysed.  A
    same-size edit with the mtime put back changes the ctime, so it is analysed again (a stat
    is trusted only when size, mtime, ctime and inode all match: README, Guarantees)."""
    run([str(tree)], Options(), cache_dir=tmp_path / "c")
    target = tree / "import_styles.py"
    st = target.stat()
    touched = st.st_mtime_ns + 5_000_000_000
    os.utime(target, ns=(st.st_atime_ns, touched))
    assert run([str(tree)], Options(), cache_dir=tmp_path / "c").analysed == 0  # a hit by content
    text = target.read_text()
    target.write_text(text.replace("import", "IMPORT", 1) if "import" in text else text)
    os.utime(target, ns=(st.st_atime_ns, touched))
    assert target.stat().st_size == st.st_size
    assert run([str(tree)], Options(), cache_dir=tmp_path / "c").analysed == 1  # the edit is seen


def test_other_options_use_other_entries(tree, tmp_path):
    run([str(tree)], Options(), cache_dir=tmp_path / "c")
    assert run([str(tree)], Options(strategy="fold"), cache_dir=tmp_path / "c").analysed == 4
    assert run([str(tree)], Options(strategy="fold"), cache_dir=tmp_path / "c").analysed == 0


def test_fingerprint_covers_version_and_options(monkeypatch):
    base = cache.fingerprint(Options())
    assert cache.fingerprint(Options()) == base
    assert cache.fingerprint(Options(unsafe_fixes=True)) != base
    assert cache.fingerprint(Options(select=frozenset())) != base
    assert cache.fingerprint(Options(strategy="fold")) != base
    monkeypatch.setattr(cache, "__version__", "999")
    assert cache.fingerprint(Options()) != base


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    """A copy of fixorder and codemods that ``fingerprint_key`` reads instead of the installed ones
    (it finds the packages from ``cache.__file__``), so their files can be touched safely."""
    import shutil

    packages = tmp_path / "packages"
    for name in ("fixorder", "codemods"):
        shutil.copytree(ROOT / name, packages / name, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "__file__", str(packages / "fixorder" / "run" / "cache.py"))
    return packages


@pytest.mark.parametrize("relative", ["fixorder/catalog/backbones.json", "fixorder/catalog/augmentations.json",
                                      "fixorder/rules/fo104_double_scaling.py", "codemods/actions.py"])
def test_fingerprint_changes_when_the_catalogue_or_code_changes(package_copy, relative):
    """A same-size edit of the catalogue (or of a rule, a codemod) starts a new results file."""
    base = cache.fingerprint_key(Options())
    assert cache.fingerprint_key(Options()) == base
    target = package_copy / relative
    st = target.stat()
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert cache.fingerprint_key(Options()) != base


def test_a_new_catalogue_file_changes_the_fingerprint(package_copy):
    base = cache.fingerprint_key(Options())
    (package_copy / "fixorder" / "catalog" / "extra.json").write_text("{}")
    assert cache.fingerprint_key(Options()) != base


def test_fix_still_fixes_files_whose_findings_were_cached(tree, tmp_path):
    run([str(tree)], Options(), cache_dir=tmp_path / "c")
    before = (tree / "nested_calls.py").read_text()
    fixed = run([str(tree)], Options(), fix=True, cache_dir=tmp_path / "c")
    assert "nested_calls.py" in " ".join(fixed.changed_files)
    assert (tree / "nested_calls.py").read_text() != before
    # The clean, preprocessed file had no finding: it was not parsed again for --fix.
    assert fixed.analysed == 3  # nested_calls, import_styles, broken (an error is never "clean")
    again = run([str(tree)], Options(), cache_dir=tmp_path / "c")
    assert not [f for f in again.findings if f.path.endswith("nested_calls.py")]


def test_damaged_cache_is_ignored(tree, tmp_path):
    run([str(tree)], Options(), cache_dir=tmp_path / "c")
    for path in (tmp_path / "c").glob("results-*.json"):
        path.write_text("{not json")
    assert run([str(tree)], Options(), cache_dir=tmp_path / "c").analysed == 4


def _cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "fixorder.cli", *args], cwd=cwd, capture_output=True, text=True)


def test_cli_cache_dir_no_cache_and_clean(tree, tmp_path):
    out = _cli("-q", "--no-cache", "src", cwd=tmp_path)
    assert out.returncode == 2  # broken.py
    assert not (tmp_path / ".fixorder_cache").exists()
    _cli("-q", "src", cwd=tmp_path)
    assert (tmp_path / ".fixorder_cache" / "CACHEDIR.TAG").is_file()
    assert (tmp_path / ".fixorder_cache" / ".gitignore").read_text().splitlines()[-1] == "*"
    _cli("-q", "--cache-dir", "elsewhere", "src", cwd=tmp_path)
    assert list((tmp_path / "elsewhere").glob("results-*.json"))
    assert _cli("clean", cwd=tmp_path).returncode == 0
    assert not (tmp_path / ".fixorder_cache").exists()
    assert _cli("clean", "--cache-dir", "elsewhere", cwd=tmp_path).returncode == 0
    assert not (tmp_path / "elsewhere").exists()


def test_clean_refuses_a_directory_it_did_not_create(tmp_path):
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious" / "thesis.tex").write_text("...")
    out = _cli("clean", "--cache-dir", "precious", cwd=tmp_path)
    assert out.returncode == 2
    assert "not a fixorder cache directory" in out.stderr
    assert (tmp_path / "precious" / "thesis.tex").is_file()


def test_a_results_file_for_another_key_is_not_used(tree, tmp_path):
    """Results files are named by a short checksum of the key and hold the whole key: a file
    whose stored key differs (another fixorder, or a checksum collision) is never read."""
    run([str(tree)], Options(), cache_dir=tmp_path / "c")
    [path] = (tmp_path / "c").glob("results-*.json")
    data = json.loads(path.read_text())
    assert data["key"] == cache.fingerprint_key(Options())
    data["key"] += "\nsomething else"
    path.write_text(json.dumps(data))
    assert run([str(tree)], Options(), cache_dir=tmp_path / "c").analysed == 4


def test_a_changed_fixorder_source_invalidates_the_cache(tmp_path):
    """Edit fixorder's own code (same size: only the mtime tells) and a warm run shows the new behaviour."""
    import shutil

    packages = tmp_path / "packages"
    for name in ("fixorder", "codemods"):
        shutil.copytree(ROOT / name, packages / name, ignore=shutil.ignore_patterns("__pycache__"))
    from tests.cli_helpers import BROKEN_SCRIPT

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text(BROKEN_SCRIPT)
    # No .pyc: Python trusts a .pyc by the source's mtime in whole seconds and its size, so a
    # same-size edit within a second could run the old bytecode; this test is about our cache.
    env = {**os.environ, "PYTHONPATH": str(packages), "PYTHONDONTWRITEBYTECODE": "1"}

    def messages() -> list[str]:
        out = subprocess.run([sys.executable, "-m", "fixorder.cli", "--output-format", "json", "--cache-dir",
                              str(tmp_path / "c"), "src"], cwd=tmp_path, env=env, capture_output=True, text=True)
        return [f["message"] for f in json.loads(out.stdout)]

    used = subprocess.run([sys.executable, "-c", "import fixorder; print(fixorder.__file__)"], cwd=tmp_path, env=env,
                          capture_output=True, text=True).stdout.strip()
    assert used == str(packages / "fixorder" / "__init__.py")
    [before] = messages()
    assert "with no preprocessing" in before
    assert messages() == [before]  # warm: from the cache
    rule = packages / "fixorder" / "rules" / "fo101_missing_preprocess_input.py"
    size = rule.stat().st_size
    rule.write_text(rule.read_text().replace("with no preprocessing", "WITH NO PREPROCESSING"))
    assert rule.stat().st_size == size
    [after] = messages()
    assert after == before.replace("with no preprocessing", "WITH NO PREPROCESSING")
    assert len(list((tmp_path / "c").glob("results-*.json"))) == 2
