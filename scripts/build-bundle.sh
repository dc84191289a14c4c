#!/usr/bin/env bash
# Build the self-contained Treffpunkt (no Python needed where it runs) with PyInstaller:
#   dist/Treffpunkt/                                 the folder: executable `treffpunkt` + _internal/
#   dist/Treffpunkt-VERSION-linux-x86_64.tar.gz       the same folder as one archive
# then check that every resource, catalogue and migration made it into the folder
# (packaging/check_distribution.py fails loudly and lists what is missing).
#
#   ./scripts/build-bundle.sh                 build (about 2 minutes on 2 cores)
#   ./scripts/build-bundle.sh --smoke         build, then run packaging/smoke_test.py on it
#
# The packages come from requirements.lock through scripts/bootstrap.sh, PyInstaller included.
# Windows builds from the same spec: .github/workflows/windows.yml.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"

smoke=0
for arg in "$@"; do
    case "$arg" in
        --smoke) smoke=1 ;;
        *) echo "build-bundle: unknown argument: $arg" >&2; exit 2 ;;
    esac
done

version="$("$PY" -c 'import app; print(app.__version__)')"
machine="$(uname -m)"
archive="dist/Treffpunkt-$version-linux-$machine.tar.gz"

started=$SECONDS
echo "build-bundle: PyInstaller $("$PY" -m PyInstaller --version), Treffpunkt $version"
rm -rf dist/Treffpunkt "$archive"
"$PY" -m PyInstaller packaging/treffpunkt.spec --noconfirm --clean \
    --distpath dist --workpath build/pyinstaller --log-level WARN

"$PY" packaging/check_distribution.py bundle dist/Treffpunkt

# A reproducible archive: sorted names, no owner, the files' own times.
tar --sort=name --owner=0 --group=0 --numeric-owner -C dist -czf "$archive" Treffpunkt
folder_size="$(du -sh dist/Treffpunkt | cut -f1)"
archive_size="$(du -h "$archive" | cut -f1)"
echo "build-bundle: dist/Treffpunkt ($folder_size), $archive ($archive_size) in $((SECONDS - started)) s"

if [[ $smoke == 1 ]]; then
    "$PY" packaging/smoke_test.py dist/Treffpunkt
fi
