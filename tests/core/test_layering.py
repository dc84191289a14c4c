"""app/ is the Qt-free core: importing all of it must not load PySide6."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import app

CHECK = """
import importlib, pkgutil, sys
import app
for module in pkgutil.walk_packages(app.__path__, "app."):
    importlib.import_module(module.name)
qt = sorted(name for name in sys.modules if name.startswith(("PySide6", "shiboken6")))
print(",".join(qt))
"""


def test_app_imports_no_qt() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(app.__file__).parent.parent,
    )
    assert result.stdout.strip() == ""


def test_app_sources_do_not_mention_qt_imports() -> None:
    root = Path(app.__file__).parent
    offenders = [
        str(path)
        for path in root.rglob("*.py")
        if "import PySide6" in path.read_text(encoding="utf-8")
        or "from PySide6" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
