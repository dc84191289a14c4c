"""Packaging glue that pyproject.toml alone cannot say: the top-level ``resources/`` folder.

The repository keeps fonts, icons, the manual and other run-time files in ``resources/`` beside
``app/`` and ``ui/``. Wheels and sdists carry that folder as the data-only package
``app._resources`` (``site-packages/app/_resources/…``), so an installed Treffpunkt never
depends on a folder outside its own package, and ``app.paths.resources_dir()`` finds it there
(or, in a checkout or an editable install, at ``resources/`` itself). Every file under
``resources/`` is included, so a new sub-folder needs no change here.
``packaging/check_distribution.py`` checks a built wheel or sdist against the checkout.
"""

from pathlib import Path

from setuptools import find_namespace_packages, setup

RESOURCES_PACKAGE = "app._resources"
RESOURCES_DIR = Path(__file__).resolve().parent / "resources"


def resource_packages() -> list[str]:
    """``app._resources`` and one data-only package per folder below it (setuptools wants each
    importable-looking folder named; the files themselves come from the ``**/*`` pattern)."""
    folders = [RESOURCES_DIR, *sorted(p for p in RESOURCES_DIR.rglob("*") if p.is_dir())]
    names = []
    for folder in folders:
        if folder.name == "__pycache__":
            continue
        relative = folder.relative_to(RESOURCES_DIR).parts
        names.append(".".join((RESOURCES_PACKAGE, *relative)))
    return names


setup(
    # Namespace packages too: app/locale and app/db/migrations hold data, not __init__.py.
    packages=[
        *find_namespace_packages(include=["app", "app.*", "ui", "ui.*"], exclude=["*.__pycache__"]),
        *resource_packages(),
    ],
    package_dir={RESOURCES_PACKAGE: "resources"},
    package_data={
        "app": [
            "locale/*/LC_MESSAGES/*.mo",
            "locale/*/LC_MESSAGES/*.po",
            "db/migrations/script.py.mako",
        ],
        RESOURCES_PACKAGE: ["**/*"],
    },
    exclude_package_data={"": ["__pycache__/*", "*.py[cod]"]},
)
