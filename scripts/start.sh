#!/usr/bin/env bash
# Start Treffpunkt: set up what is missing (scripts/bootstrap.sh), then run the `treffpunkt`
# command with all arguments passed through.
#
#   ./scripts/start.sh                    open the window
#   ./scripts/start.sh --db FILE          open the window on another database
#   ./scripts/start.sh contacts list      any command-line command (see --help)
#
# On the very first start, with no database yet, the window itself opens the demo network
# (demo.db in the user data folder, apart from the real treffpunkt.db).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/bootstrap.sh"

TREFFPUNKT="$ROOT/.venv/bin/treffpunkt"

# The window opens only when no command word is given; `--db` takes a value.
wants_window=1
args=("$@")
i=0
while [[ $i -lt ${#args[@]} ]]; do
    arg="${args[$i]}"
    case "$arg" in
        --db) i=$((i + 2)); continue ;;
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
fi

exec "$TREFFPUNKT" "$@"
