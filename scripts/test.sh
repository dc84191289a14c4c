#!/usr/bin/env bash
# Run the whole test suite: set up what is missing (scripts/bootstrap.sh), then
#   pytest (Qt offscreen; configuration in pyproject.toml), ruff check, mypy.
# Every step runs even when an earlier one fails; the script exits non-zero when any failed,
# with pytest's own exit code first (5 = no tests collected counts as a failure, too).
#
#   ./scripts/test.sh                     everything
#   ./scripts/test.sh -x -k minutes       extra arguments go to pytest
#   TREFFPUNKT_SKIP_LINT=1 ./scripts/test.sh tests/core   pytest only
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"

export QT_QPA_PLATFORM=offscreen
BIN="$ROOT/.venv/bin"

status=0
summary=()

run_step() {
    local name="$1" started=$SECONDS rc=0
    shift
    printf '\n==> %s: %s\n' "$name" "$*"
    "$@" || rc=$?
    local took=$((SECONDS - started))
    if [[ $rc == 0 ]]; then
        summary+=("$(printf '%-7s passed            (%ss)' "$name" "$took")")
    else
        local why="exit $rc"
        if [[ $name == pytest && $rc == 5 ]]; then
            why="exit 5: no tests collected"
        fi
        summary+=("$(printf '%-7s FAILED (%s)  (%ss)' "$name" "$why" "$took")")
        if [[ $status == 0 ]]; then
            status=$rc
        fi
    fi
}

run_step pytest "$BIN/python" -m pytest "$@"
if [[ "${TREFFPUNKT_SKIP_LINT:-}" != 1 ]]; then
    run_step ruff "$BIN/ruff" check .
    run_step format "$BIN/ruff" format --check .
    run_step mypy "$BIN/mypy"
fi

printf '\n==> summary\n'
printf '    %s\n' "${summary[@]}"
if [[ $status == 0 ]]; then
    printf 'test.sh: all passed\n'
else
    printf 'test.sh: FAILED\n'
fi
exit "$status"
