"""Check that a built wheel, sdist or bundle carries everything Treffpunkt needs at run time.

    python packaging/check_distribution.py wheel dist/treffpunkt-0.2.0-py3-none-any.whl
    python packaging/check_distribution.py sdist dist/treffpunkt-0.2.0.tar.gz
    python packaging/check_distribution.py bundle dist/Treffpunkt

What must be there is read from the checkout, not from a list kept by hand: every file under
``resources/`` (fonts and their licence, icons, the manual, whatever is added later), every
compiled catalogue under ``app/locale``, every migration script, and for wheel and sdist every
Python module of ``app/`` and ``ui/``. Exit 0 when all are there; exit 1 with the list of
missing files otherwise, so a build that lost a resource fails loudly.
"""

from __future__ import annotations

import argparse
import sys
import tarfile
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
# Where setup.py (wheel) and the spec (bundle) put resources/.
PACKAGED_RESOURCES = PurePosixPath("app/_resources")


def _files(folder: Path, *, suffixes: tuple[str, ...] = ()) -> list[PurePosixPath]:
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        if suffixes and path.suffix not in suffixes:
            continue
        found.append(PurePosixPath(path.relative_to(ROOT).as_posix()))
    return found


def resource_files() -> list[PurePosixPath]:
    return _files(RESOURCES)


def catalogue_files() -> list[PurePosixPath]:
    return _files(ROOT / "app" / "locale", suffixes=(".mo",))


def migration_files() -> list[PurePosixPath]:
    return _files(ROOT / "app" / "db" / "migrations")


def module_files() -> list[PurePosixPath]:
    return [*_files(ROOT / "app", suffixes=(".py",)), *_files(ROOT / "ui", suffixes=(".py",))]


def packaged(path: PurePosixPath) -> PurePosixPath:
    """Where a checkout file lives once installed: resources/x → app/_resources/x."""
    if path.parts[0] == "resources":
        return PACKAGED_RESOURCES.joinpath(*path.parts[1:])
    return path


def expected(kind: str) -> list[PurePosixPath]:
    runtime_data = [*resource_files(), *catalogue_files(), *migration_files()]
    if kind == "wheel":
        return sorted({packaged(path) for path in [*runtime_data, *module_files()]})
    if kind == "sdist":
        build_files = [PurePosixPath(name) for name in ("pyproject.toml", "setup.py", "README.md")]
        build_files += [PurePosixPath("requirements.lock")]
        build_files += _files(ROOT / "packaging")
        return sorted({*runtime_data, *module_files(), *build_files})
    if kind == "bundle":
        # Modules live in the bundle's PYZ archive; the smoke test runs them.
        return sorted({packaged(path) for path in runtime_data})
    raise ValueError(kind)


def wheel_names(path: Path) -> set[PurePosixPath]:
    with zipfile.ZipFile(path) as wheel:
        return {PurePosixPath(name) for name in wheel.namelist()}


def sdist_names(path: Path) -> set[PurePosixPath]:
    with tarfile.open(path) as sdist:
        # Every member sits below "treffpunkt-VERSION/".
        return {PurePosixPath(*PurePosixPath(name).parts[1:]) for name in sdist.getnames()}


def bundle_names(folder: Path) -> set[PurePosixPath]:
    # PyInstaller 6 puts everything but the executables into _internal/.
    internal = folder / "_internal"
    return {
        PurePosixPath(path.relative_to(internal).as_posix())
        for path in internal.rglob("*")
        if path.is_file()
    }


def missing(kind: str, present: Iterable[PurePosixPath]) -> list[PurePosixPath]:
    have = set(present)
    return [path for path in expected(kind) if path not in have]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=("wheel", "sdist", "bundle"))
    parser.add_argument("path", type=Path)
    args = parser.parse_args(argv)
    if not args.path.exists():
        print(f"check_distribution: {args.path} does not exist", file=sys.stderr)
        return 1
    readers = {"wheel": wheel_names, "sdist": sdist_names, "bundle": bundle_names}
    absent = missing(args.kind, readers[args.kind](args.path))
    wanted = len(expected(args.kind))
    if absent:
        print(
            f"check_distribution: {args.path} lacks {len(absent)} of {wanted} required files:",
            file=sys.stderr,
        )
        for path in absent:
            print(f"    {path}", file=sys.stderr)
        return 1
    print(f"check_distribution: {args.path}: all {wanted} required files are there")
    return 0


if __name__ == "__main__":
    sys.exit(main())
