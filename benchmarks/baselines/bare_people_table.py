"""Baseline: the least a PySide6 program does to show a sorted list of people from SQLite.

Opens a Treffpunkt-like database read-only with the standard sqlite3 module, reads the people's
display columns sorted by last name, shows them in a QTableView through a minimal
QAbstractTableModel, paints once and quits. It is the practical floor for "the people list is on
screen" at a given directory size: time it as a whole process beside Treffpunkt (same machine,
same sitting) and report the ratio.

Usage: QT_QPA_PLATFORM=offscreen python bare_people_table.py DATABASE
       (needs a table `people` with `first_name`, `last_name`; other schemas: --sql "SELECT …")
"""

import sqlite3
import sys

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

args = sys.argv[1:]
sql = "SELECT first_name, last_name FROM people ORDER BY last_name, first_name"
if "--sql" in args:
    sql = args[args.index("--sql") + 1]
    del args[args.index("--sql") : args.index("--sql") + 2]
path = args[0]


class Rows(QAbstractTableModel):
    def __init__(self, rows: list[tuple]) -> None:
        super().__init__()
        self._rows = rows

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self._rows else len(self._rows[0])

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[index.row()][index.column()]
        return None


app = QApplication([])
connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
rows = connection.execute(sql).fetchall()
window = QMainWindow()
view = QTableView()
view.setModel(Rows(rows))
window.setCentralWidget(view)
window.resize(1200, 800)
window.show()
view.viewport().repaint()
QTimer.singleShot(0, app.quit)
app.exec()
print(len(rows), "rows", file=sys.stderr)
