#!/usr/bin/env bash
# Refresh requirements.lock: every package Treffpunkt, its tests and the bundle build need, with
# exact versions and sha256 hashes, for Linux, Windows and macOS at once (uv's universal mode
# keeps markers such as `sys_platform == 'win32'` for tzdata and pywin32-ctypes).
#
#   ./scripts/update-lock.sh                   newest versions inside pyproject.toml's ranges
#   ./scripts/update-lock.sh --upgrade-package reportlab   only move that one
#
# Then run ./scripts/test.sh (bootstrap.sh reinstalls .venv from the new lock) and commit
# pyproject.toml and requirements.lock together. uv is only needed here: it is installed into
# .venv on first use; installing from the lock needs nothing but pip.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/bootstrap.sh

UV="$(command -v uv || true)"
if [[ -z "$UV" ]]; then
    UV="$ROOT/.venv/bin/uv"
    [[ -x "$UV" ]] || .venv/bin/python -m pip install --quiet 'uv>=0.5'
fi

# --python-version: the oldest Python we support; the universal lock forks where needed.
"$UV" pip compile pyproject.toml packaging/build-requirements.in \
    --extra test --extra bundle \
    --universal --python-version 3.11 --generate-hashes \
    --custom-compile-command './scripts/update-lock.sh' \
    --output-file requirements.lock "$@"
echo "update-lock: requirements.lock written; now run ./scripts/test.sh"
