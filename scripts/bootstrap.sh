#!/usr/bin/env bash
# Shared set-up behind scripts/start.sh, scripts/test.sh and .ci/run.
#
#   1. Debian/Ubuntu system libraries that Qt needs (offscreen and on X11) and the tests need
#      (poppler-utils, postgresql). Installed with apt-get when run as root, otherwise listed for sudo.
#   2. A virtual environment in .venv with Python >= 3.11.
#   3. The Python packages pinned with hashes in requirements.lock (runtime, tests, the bundle
#      build), then Treffpunkt itself as an editable install without dependencies; only when
#      requirements.lock, pyproject.toml or setup.py changed since the last install.
#
# A second run changes nothing and makes no network calls: it asks dpkg which packages are
# there, checks the .venv interpreter and compares a hash of those files with a stamp file.
#
# Environment knobs:
#   TREFFPUNKT_PYTHON=/path/to/python3.x   interpreter for a new .venv (default: first >= 3.11)
#   TREFFPUNKT_SKIP_SYSTEM_PACKAGES=1      never look at or install Debian packages
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
VENV_PY="$VENV/bin/python"
STAMP="$VENV/.treffpunkt-install-stamp"
MIN_PYTHON="3.11"

# What Qt needs offscreen (tests, benchmarks). "a|b" means either package will do: Debian 13
# and Ubuntu 24.04 renamed some libraries with a t64 suffix.
QT_OFFSCREEN_PACKAGES=(
    libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6
    "libglib2.0-0|libglib2.0-0t64" libxkbcommon0 fonts-dejavu-core
)
# What the xcb platform plugin needs for a real window: the NEEDED entries of PySide6's
# plugins/platforms/libqxcb.so, lib/libQt6XcbQpa.so.6 and plugins/xcbglintegrations/*.so.
QT_X11_PACKAGES=(
    libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
    libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1
    libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0
)
# pdftotext / pdftoppm read the generated PDFs back in tests; desktop-file-validate checks the
# Linux desktop entry; postgresql provides initdb/pg_ctl for the throwaway server the core tests
# run every database test against (tests/postgres.py; the package's own cluster is not used).
TEST_PACKAGES=(poppler-utils desktop-file-utils postgresql)

say() { printf 'bootstrap: %s\n' "$*" >&2; }
die() { printf 'bootstrap: ERROR: %s\n' "$*" >&2; exit 1; }

is_root() { [[ "$(id -u)" == 0 ]]; }
have_dpkg() {
    [[ "${TREFFPUNKT_SKIP_SYSTEM_PACKAGES:-}" != 1 ]] && command -v dpkg-query >/dev/null 2>&1
}

# Print the entries of "$@" (each "a" or "a|b") of which no alternative is installed.
# One dpkg-query call for all names keeps the no-op path fast.
missing_packages() {
    local -a names=()
    local entry alt installed_list found
    for entry in "$@"; do
        IFS='|' read -r -a alts <<<"$entry"
        names+=("${alts[@]}")
    done
    # Unknown names make dpkg-query exit 1; their absence from the output is what we want.
    installed_list="$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${names[@]}" 2>/dev/null \
        | awk 'substr($2, 2, 1) == "i" { print $1 }' || true)"
    for entry in "$@"; do
        IFS='|' read -r -a alts <<<"$entry"
        found=0
        for alt in "${alts[@]}"; do
            if grep -qxF -- "$alt" <<<"$installed_list"; then
                found=1
                break
            fi
        done
        if [[ $found == 0 ]]; then
            printf '%s\n' "$entry"
        fi
    done
}

APT_UPDATED=0
apt_update_once() {
    if [[ $APT_UPDATED == 0 ]]; then
        say "apt-get update"
        DEBIAN_FRONTEND=noninteractive apt-get -q update >&2 || return 1
        APT_UPDATED=1
    fi
}

# The first alternative of "a|b" that apt can actually install (not purely virtual).
installable_name() {
    local entry="$1" alt
    IFS='|' read -r -a alts <<<"$entry"
    for alt in "${alts[@]}"; do
        if apt-cache show --no-all-versions -- "$alt" >/dev/null 2>&1; then
            printf '%s\n' "$alt"
            return 0
        fi
    done
    return 1
}

# Install the missing entries of "$@" (root), or tell the user what to install (not root).
# Returns 1 only when something stays missing.
ensure_packages() {
    local -a missing=() to_install=() unknown=()
    local entry name
    mapfile -t missing < <(missing_packages "$@")
    if [[ ${#missing[@]} == 0 ]]; then
        return 0
    fi
    if ! is_root || ! command -v apt-get >/dev/null 2>&1; then
        local -a shown=()
        for entry in "${missing[@]}"; do shown+=("${entry%%|*}"); done
        say "missing system packages: ${shown[*]}"
        say "install them with:"
        say "    sudo apt-get install -y --no-install-recommends ${shown[*]}"
        return 1
    fi
    if ! apt_update_once; then
        say "WARNING: apt-get update failed; cannot install: ${missing[*]}"
        return 1
    fi
    for entry in "${missing[@]}"; do
        if name="$(installable_name "$entry")"; then
            to_install+=("$name")
        else
            unknown+=("$entry")
        fi
    done
    if [[ ${#unknown[@]} -gt 0 ]]; then
        say "WARNING: this distribution has no package named: ${unknown[*]}"
    fi
    if [[ ${#to_install[@]} -gt 0 ]]; then
        say "installing system packages: ${to_install[*]}"
        if ! DEBIAN_FRONTEND=noninteractive apt-get -q install -y --no-install-recommends \
            "${to_install[@]}" >&2; then
            say "WARNING: apt-get install failed"
            return 1
        fi
    fi
    [[ ${#unknown[@]} == 0 ]]
}

python_ok() {  # $1 runs and is >= MIN_PYTHON
    "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1
}

python_has_venv() {  # Debian splits ensurepip into python3-venv / python3.X-venv
    "$1" -c 'import ensurepip, venv' >/dev/null 2>&1
}

find_python() {
    local candidate
    if [[ -n "${TREFFPUNKT_PYTHON:-}" ]]; then  # checked once at the start
        printf '%s\n' "$TREFFPUNKT_PYTHON"
        return 0
    fi
    for candidate in python3 python3.14 python3.13 python3.12 python3.11; do
        if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
            # The real interpreter, not a pyenv shim or alias, so messages name what is used.
            "$candidate" -c 'import sys; print(sys.executable)'
            return 0
        fi
    done
    return 1
}

# Debian package that provides `venv` with ensurepip for interpreter $1.
venv_package_for() {
    local version
    version="$("$1" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
    if [[ "$(readlink -f "$(command -v "$1")")" == "$(readlink -f /usr/bin/python3 2>/dev/null)" ]]; then
        printf 'python3-venv\n'
    else
        printf 'python%s-venv\n' "$version"
    fi
}

describe_python_problem() {
    local found=""
    if command -v python3 >/dev/null 2>&1; then
        found="$(python3 -c 'import sys; print(sys.version.split()[0])' 2>/dev/null || true)"
    fi
    say "Treffpunkt needs Python $MIN_PYTHON or newer${found:+; python3 here is $found}."
    say "Debian 12 and Ubuntu 24.04 ship a new enough python3:"
    say "    sudo apt-get install python3 python3-venv"
    say "Ubuntu 22.04: sudo apt-get install python3.11 python3.11-venv"
    say "Or point TREFFPUNKT_PYTHON at any Python >= $MIN_PYTHON."
}

# -- 1. system packages -----------------------------------------------------------------------

if [[ -n "${TREFFPUNKT_PYTHON:-}" ]] && ! python_ok "$TREFFPUNKT_PYTHON"; then
    die "TREFFPUNKT_PYTHON=$TREFFPUNKT_PYTHON is not a Python >= $MIN_PYTHON"
fi

venv_usable=0
if [[ -x "$VENV_PY" ]] && python_ok "$VENV_PY"; then
    venv_usable=1
fi

if have_dpkg; then
    wanted=("${QT_OFFSCREEN_PACKAGES[@]}" "${QT_X11_PACKAGES[@]}" "${TEST_PACKAGES[@]}")
    if [[ $venv_usable == 0 ]]; then
        if base_python="$(find_python)"; then
            if ! python_has_venv "$base_python"; then
                wanted+=("$(venv_package_for "$base_python")")
            fi
        else
            wanted+=(python3 python3-venv)
        fi
    fi
    ensure_packages "${wanted[@]}" || say "continuing without them; some features or tests may fail"
fi

# -- 2. virtual environment -------------------------------------------------------------------

if [[ $venv_usable == 0 ]]; then
    if ! base_python="$(find_python)"; then
        # Ubuntu 22.04's python3 is 3.10: as root, take a versioned one from the archive.
        if have_dpkg && is_root && command -v apt-get >/dev/null 2>&1 && apt_update_once; then
            for version in 3.13 3.12 3.11; do
                if apt-cache show --no-all-versions "python$version-venv" >/dev/null 2>&1; then
                    ensure_packages "python$version" "python$version-venv" || true
                    break
                fi
            done
        fi
        base_python="$(find_python)" || { describe_python_problem; exit 1; }
    fi
    if ! python_has_venv "$base_python"; then
        say "$base_python has no venv/ensurepip module."
        have_dpkg && say "    sudo apt-get install $(venv_package_for "$base_python")"
        exit 1
    fi
    venv_args=()
    if [[ -e "$VENV" ]]; then
        if [[ ! -O "$VENV" || ! -w "$VENV" ]]; then
            die "$VENV has no Python >= $MIN_PYTHON that you can run, and it is not yours to replace"
        fi
        # Typically the Python it was made from is gone or too old; it holds nothing of ours.
        say "$VENV is unusable (no working Python >= $MIN_PYTHON in it); recreating it"
        venv_args+=(--clear)
    fi
    say "creating $VENV with $base_python ($("$base_python" -c 'import sys; print(sys.version.split()[0])'))"
    "$base_python" -m venv ${venv_args[@]+"${venv_args[@]}"} "$VENV"
fi

# -- 3. Python packages -----------------------------------------------------------------------

current_hash() {
    "$VENV_PY" - "$ROOT/requirements.lock" "$ROOT/pyproject.toml" "$ROOT/setup.py" <<'EOF'
import hashlib, sys
digest = hashlib.sha256(sys.version.encode())
for name in sys.argv[1:]:
    digest.update(open(name, "rb").read())
print(digest.hexdigest())
EOF
}

if [[ ! -f "$STAMP" ]] || [[ "$(cat "$STAMP")" != "$(current_hash)" ]]; then
    (
        # Two scripts starting at once must not run pip into the same .venv together.
        if command -v flock >/dev/null 2>&1; then
            exec 9>"$VENV/.treffpunkt-install.lock"
            flock 9
        fi
        # Re-check under the lock: the other run may have finished the job meanwhile.
        if [[ -f "$STAMP" ]] && [[ "$(cat "$STAMP")" == "$(current_hash)" ]]; then
            exit 0
        fi
        say "installing the Python packages of requirements.lock into .venv (first time: ~300 MB download)"
        pip_args=(install --disable-pip-version-check)
        if [[ ! -t 1 ]]; then
            pip_args+=(--progress-bar off)
        fi
        cd "$ROOT"
        # Exact versions, each file checked against its sha256 in the lock.
        "$VENV_PY" -m pip "${pip_args[@]}" --require-hashes -r requirements.lock >&2
        # Treffpunkt itself: its dependencies are all in the lock, and so is the build backend.
        "$VENV_PY" -m pip "${pip_args[@]}" --no-deps --no-build-isolation -e . >&2
        current_hash >"$STAMP"
    )
fi
