#!/usr/bin/env bash
# Start Treffpunkt: set up what is missing (scripts/bootstrap.sh), then run the `treffpunkt`
# command with all arguments passed through.
#
#   ./scripts/start.sh                    open the window
#   ./scripts/start.sh --db FILE          open the window on another database
#   ./scripts/start.sh contacts list      any command-line command (see --help)
#
# On the very first start, when no database exists at the default location yet, the window
# opens on the demo network (written there by `treffpunkt demo`). TREFFPUNKT_NO_DEMO=1 skips
# that and leaves the first start to the window.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/bootstrap.sh"

VENV_PY="$ROOT/.venv/bin/python"
TREFFPUNKT="$ROOT/.venv/bin/treffpunkt"

# The window opens only when no command word is given; `--db` takes a value.
wants_window=1
explicit_db=""
args=("$@")
i=0
while [[ $i -lt ${#args[@]} ]]; do
    arg="${args[$i]}"
    case "$arg" in
        --db) explicit_db="${args[$((i + 1))]:-}"; i=$((i + 2)); continue ;;
        --db=*) explicit_db="${arg#--db=}" ;;
        -h | --help | --version) wants_window=0 ;;
        -*) ;;
        *) wants_window=0 ;;
    esac
    i=$((i + 1))
done

if [[ $wants_window == 1 ]]; then
    if [[ "$(uname -s)" == Linux && -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" \
        && -z "${QT_QPA_PLATFORM:-}" ]]; then
        cat >&2 <<'EOF'
start.sh: no display found ($DISPLAY and $WAYLAND_DISPLAY are empty), so the window cannot open.
  - On a desktop: run this from a terminal inside the desktop session.
  - Over SSH: connect with `ssh -X` (X11 forwarding).
  - Without any screen: `xvfb-run -a ./scripts/start.sh` (apt-get install xvfb xauth).
Command-line use needs no display, e.g. `./scripts/start.sh --help` or
`./scripts/start.sh contacts list`.
EOF
        exit 1
    fi

    if [[ -z "$explicit_db" && -z "${TREFFPUNKT_DB:-}" && "${TREFFPUNKT_NO_DEMO:-}" != 1 ]]; then
        # First start: nothing at the default location and no database remembered from before.
        first_run_db="$("$VENV_PY" - <<'EOF'
from pathlib import Path

from app import paths
from app.preferences import load_preferences

last = load_preferences().last_database
default = paths.default_database_path()
if not (last and Path(last).exists()) and not default.exists():
    print(default)
EOF
)"
        if [[ -n "$first_run_db" ]]; then
            echo "start.sh: no database yet; writing the demo network to $first_run_db" >&2
            echo "start.sh: (delete that file to start afresh, or use --db FILE for your own data)" >&2
            "$TREFFPUNKT" --db "$first_run_db" demo \
                || echo "start.sh: could not write the demo network; starting without it" >&2
        fi
    fi
fi

exec "$TREFFPUNKT" "$@"
