#!/usr/bin/env bash
# Build fixorder's wheel and sdist from this checkout, check their metadata (twine check),
# install the wheel into a fresh virtualenv and run the installed `fixorder` on testdata.
# The fresh venv gets the wheel with --no-deps; its dependencies (libcst, click, pathspec) come
# from the venv running this script, through a .pth file, so nothing is downloaded.
# Usage: scripts/wheel_smoke.sh [PYTHON]   (default: .venv/bin/python)
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:-.venv/bin/python}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" -m build --no-isolation --outdir "$work/dist" . >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
"$python" -m twine check --strict "$work"/dist/*
"$python" -m venv --without-pip "$work/venv"
deps=$("$python" -c 'import libcst, os; print(os.path.dirname(os.path.dirname(libcst.__file__)))')
site=$("$work/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "$deps" > "$site/fixorder-smoke-deps.pth"
"$python" -m pip --python "$work/venv/bin/python" install -q --no-deps "$work"/dist/*.whl
# Run from a folder where no checkout can shadow the installed package.
cp -r testdata "$work/testdata"
cd "$work"
where=$("$work/venv/bin/python" -c 'import fixorder; print(fixorder.__file__)')
case "$where" in "$site"/*) ;; *) echo "fixorder imported from $where, not from the wheel" >&2; exit 1;; esac
set +e
"$work/venv/bin/fixorder" --output-format concise testdata >"$work/out.txt" 2>"$work/err.txt"
status=$?
set -e
tail -1 "$work/err.txt"
[ "$status" -eq 1 ] || { echo "expected exit 1 (findings), got $status" >&2; cat "$work/err.txt" >&2; exit 1; }
grep -q "FO101 \[\*\]" "$work/out.txt" || { echo "no FO101 finding in the report" >&2; exit 1; }
echo "wheel smoke test passed: $(basename "$work"/dist/*.whl)"
