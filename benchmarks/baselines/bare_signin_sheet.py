"""Baseline: a bare ReportLab sign-in sheet — N rows, a TTF font, landscape A4, header row
repeated, "Seite X von Y" — with nothing else. Treffpunkt's own sheet for the same rows should
cost at most about 1.2x this. Usage: python bare_signin_sheet.py [ROWS] [OUT.pdf] [FONT.ttf]
"""

import subprocess
import sys

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

rows = int(sys.argv[1]) if len(sys.argv) > 1 else 300
out = sys.argv[2] if len(sys.argv) > 2 else "bare_signin.pdf"
font = (
    sys.argv[3]
    if len(sys.argv) > 3
    else subprocess.run(
        ["fc-match", "-f", "%{file}", "DejaVu Sans"], capture_output=True, text=True, check=True
    ).stdout
)
pdfmetrics.registerFont(TTFont("Body", font))


class NumberedCanvas(canvas.Canvas):
    """Defers page output until the page count is known."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont("Body", 8)
            self.drawRightString(
                self._pagesize[0] - 15 * mm,
                10 * mm,
                f"Seite {self._pageNumber} von {len(self._pages)}",
            )
            super().showPage()
        super().save()


names = [
    "Ayşe Yılmaz",
    "Łukasz Żółć",
    "Олександр Шевченко",
    "Nguyễn Thị Minh Khai",
    "Jürgen Müller",
]
data = [["Nr.", "Name", "Organisation", "Funktion", "Foto ja / nein", "Unterschrift"]]
data += [
    [str(i + 1), names[i % 5], f"Organisation {i % 40}", "Mitarbeit", "☐ ja  ☐ nein", ""]
    for i in range(rows)
]
table = Table(
    data,
    repeatRows=1,
    colWidths=[12 * mm, 60 * mm, 70 * mm, 40 * mm, 30 * mm, 55 * mm],
    rowHeights=9 * mm,
)
table.setStyle(
    TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), "Body", 9),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
    )
)
doc = SimpleDocTemplate(
    out,
    pagesize=landscape(A4),
    leftMargin=12 * mm,
    rightMargin=12 * mm,
    topMargin=15 * mm,
    bottomMargin=18 * mm,
)
doc.build([table], canvasmaker=NumberedCanvas)
