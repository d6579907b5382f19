#!/usr/bin/env bash
# Build the workbench wheel, install it into a brand-new virtual environment (dependencies from
# PyPI) and run it: --version, plugins and an alignment of a small example.
# Usage: packaging/check_wheel.sh [PYTHON]   (default: python3; needs the network for PyPI)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${1:-python3}
work=$(mktemp -d /tmp/workbench-wheel.XXXXXX)
trap 'rm -rf "$work"' EXIT

nice "$PY" -m pip wheel --quiet --no-deps --wheel-dir "$work/dist" .
wheel=$(ls "$work"/dist/workbench-*.whl)
echo "== built $(basename "$wheel")"
unzip -l "$wheel" | grep -q 'entry_points.txt' || { echo "no entry points in the wheel" >&2; exit 1; }

"$PY" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$wheel"
WB="$work/venv/bin/workbench"
cd "$work"  # not the source tree, so the installed package is what runs
"$WB" --version
"$WB" plugins
printf 'Der Hund schläft.\nDie Katze sitzt auf der Matte.\nEs regnet.\n' >src
printf 'The dog sleeps.\nThe cat sits on the mat.\nIt rains.\n' >mt
printf 'The dog is sleeping.\nIt is raining.\nThe cat is sitting on the mat.\n' >tgt
"$WB" align src tgt --mt mt --format tsv | tee aligned.tsv
[ "$(wc -l <aligned.tsv)" -ge 2 ] || { echo "alignment produced too few pairs" >&2; exit 1; }
"$work/venv/bin/python" -c "import workbench, sys; assert 'site-packages' in workbench.__file__, workbench.__file__; print('installed from', workbench.__file__)"
echo "wheel OK"
