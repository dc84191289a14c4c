#!/usr/bin/env bash
# Put Treffpunkt into the Linux desktop's application menu, for the current user only:
#   the icon in every size → ${XDG_DATA_HOME:-~/.local/share}/icons/hicolor/…/apps/treffpunkt.png
#   treffpunkt.desktop    → ${XDG_DATA_HOME:-~/.local/share}/applications/
#
#   ./install-desktop-entry.sh [EXECUTABLE]     EXECUTABLE: the treffpunkt program to start
#                                               (default: the bundle's, beside this script, or
#                                               `treffpunkt` on PATH)
#   ./install-desktop-entry.sh --uninstall
#
# Works from the unpacked bundle (dist/Treffpunkt/, which carries this script, the .desktop
# file and the icons) and from a checkout (packaging/linux/ here, icons in resources/icons/).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DATA_HOME="${XDG_DATA_HOME:-$HOME/.local/share}"
APPLICATIONS="$DATA_HOME/applications"
HICOLOR="$DATA_HOME/icons/hicolor"
SIZES=(16 24 32 48 64 128 256)

say() { printf 'install-desktop-entry: %s\n' "$*"; }

refresh_caches() {  # optional helpers; menus pick the files up without them, only later
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$APPLICATIONS" || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [[ -f "$HICOLOR/index.theme" ]]; then
        gtk-update-icon-cache -q -t "$HICOLOR" || true
    fi
}

if [[ "${1:-}" == --uninstall ]]; then
    rm -f "$APPLICATIONS/treffpunkt.desktop"
    for size in "${SIZES[@]}"; do
        rm -f "$HICOLOR/${size}x${size}/apps/treffpunkt.png"
    done
    rm -f "$HICOLOR/scalable/apps/treffpunkt.svg"
    refresh_caches
    say "removed (your Treffpunkt data stays where it is)"
    exit 0
fi

# Where the icons and the .desktop file are: the bundle keeps them together in packaging/linux
# and app/_resources/icons; a checkout has them in packaging/linux and resources/icons.
ICONS=""
for candidate in "$HERE/../../_internal/app/_resources/icons" "$HERE/../../resources/icons"; do
    if [[ -f "$candidate/treffpunkt-256.png" ]]; then
        ICONS="$(cd "$candidate" && pwd)"
        break
    fi
done
[[ -n "$ICONS" ]] || { say "ERROR: no icons found next to $HERE" >&2; exit 1; }

if [[ $# -ge 1 ]]; then
    EXECUTABLE="$1"
elif [[ -x "$HERE/../../treffpunkt" ]]; then
    EXECUTABLE="$HERE/../../treffpunkt"
elif command -v treffpunkt >/dev/null 2>&1; then
    EXECUTABLE="$(command -v treffpunkt)"
else
    say "ERROR: no treffpunkt program found; name it: $0 /path/to/treffpunkt" >&2
    exit 1
fi
[[ -x "$EXECUTABLE" ]] || { say "ERROR: $EXECUTABLE is not an executable program" >&2; exit 1; }
EXECUTABLE="$(cd "$(dirname "$EXECUTABLE")" && pwd)/$(basename "$EXECUTABLE")"

for size in "${SIZES[@]}"; do
    install -D -m 0644 "$ICONS/treffpunkt-$size.png" "$HICOLOR/${size}x${size}/apps/treffpunkt.png"
done
install -D -m 0644 "$ICONS/treffpunkt.svg" "$HICOLOR/scalable/apps/treffpunkt.svg"

# Exec with the absolute path, quoted as the Desktop Entry spec wants ("…" around the program,
# \ " ` $ escaped inside the quotes, then every \ doubled for the file's string escaping), so a
# bundle unpacked into a folder with spaces still starts.
quoted="$(printf '%s' "$EXECUTABLE" | sed -e 's/[\\"`$]/\\&/g' -e 's/\\/\\\\/g')"
mkdir -p "$APPLICATIONS"
while IFS= read -r line || [[ -n "$line" ]]; do
    if [[ "$line" == Exec=* ]]; then
        line="Exec=\"$quoted\""
    fi
    printf '%s\n' "$line"
done <"$HERE/treffpunkt.desktop" >"$APPLICATIONS/treffpunkt.desktop.tmp"
chmod 0644 "$APPLICATIONS/treffpunkt.desktop.tmp"
mv "$APPLICATIONS/treffpunkt.desktop.tmp" "$APPLICATIONS/treffpunkt.desktop"
refresh_caches
say "installed: $APPLICATIONS/treffpunkt.desktop (starts $EXECUTABLE)"
