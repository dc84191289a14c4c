"""Baseline: the least a PySide6 program does to show a main window, then quit.

Time it as a whole process beside Treffpunkt's start-up (same machine, same sitting) and
report the ratio. Usage: QT_QPA_PLATFORM=offscreen python bare_qt_window.py
"""

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication([])
window = QMainWindow()
window.setWindowTitle("baseline")
window.setCentralWidget(QLabel("baseline"))
window.resize(1200, 800)
window.show()
QTimer.singleShot(0, app.quit)
app.exec()
