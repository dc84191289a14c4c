"""Render the application icon from its SVG source into the PNG sizes and the Windows .ico.

    .venv/bin/python scripts/render_icons.py

Reads ``resources/icons/treffpunkt.svg`` (and ``treffpunkt-small.svg``, a simplified drawing
with heavier shapes for 16–24 px, where the fine arrows of the big one would blur) and writes
``resources/icons/treffpunkt-SIZE.png`` for every size in ``SIZES`` plus ``treffpunkt.ico``
with all sizes up to 256 (Windows picks the one it needs for Explorer, the task bar and the
Start menu). Rendering uses Qt's own SVG renderer (QtSvg, part of PySide6-Essentials), so no
extra tool is needed; the .ico is assembled by Pillow from the rendered PNGs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.paths import ICON_SIZES as SIZES  # noqa: E402  (the sizes the window loads)

ICONS_DIR = ROOT / "resources" / "icons"
SMALL_UP_TO = 24  # these sizes come from the simplified drawing


def source_for(size: int) -> Path:
    return ICONS_DIR / ("treffpunkt-small.svg" if size <= SMALL_UP_TO else "treffpunkt.svg")


def render_png(svg: Path, size: int, target: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: {svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(target), "PNG"):
        raise SystemExit(f"render_icons: cannot write {target}")


def write_ico(pngs: dict[int, Path], target: Path) -> None:
    from PIL import Image

    images = [Image.open(pngs[size]).convert("RGBA") for size in sorted(pngs)]
    largest = images[-1]
    # Each size from its own rendering (append_images), not scaled down from the largest.
    largest.save(
        target,
        format="ICO",
        sizes=[(image.width, image.height) for image in images],
        append_images=images[:-1],
    )


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    pngs = {}
    for size in SIZES:
        target = ICONS_DIR / f"treffpunkt-{size}.png"
        render_png(source_for(size), size, target)
        pngs[size] = target
        print(f"render_icons: {target.relative_to(ICONS_DIR.parent.parent)}")
    ico = ICONS_DIR / "treffpunkt.ico"
    write_ico(pngs, ico)
    print(f"render_icons: {ico.relative_to(ICONS_DIR.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
