"""The status bar: which database is open, how much it holds, and a busy indicator."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

from app.i18n import _, format_number, ngettext
from ui.opening import OpenedDatabase

SEPARATOR = "  ·  "


def counts_text(counts: dict[str, int]) -> str:
    """ "40 organisations · 85 people · 4 meetings" for the counts known so far."""
    parts = []
    if "organisations" in counts:
        n = counts["organisations"]
        text = ngettext("{count} organisation", "{count} organisations", n)
        parts.append(text.format(count=format_number(n)))
    if "people" in counts:
        n = counts["people"]
        parts.append(ngettext("{count} person", "{count} people", n).format(count=format_number(n)))
    if "meetings" in counts:
        n = counts["meetings"]
        text = ngettext("{count} meeting", "{count} meetings", n)
        parts.append(text.format(count=format_number(n)))
    return SEPARATOR.join(parts)


class DatabaseStatus:
    """Fills a window's ``QStatusBar``; the window calls ``show`` whenever something changed."""

    def __init__(self, status_bar: QStatusBar) -> None:
        self.database_label = QLabel()
        self.database_label.setObjectName("databaseLabel")
        self.database_label.setTextFormat(Qt.TextFormat.PlainText)
        self.counts_label = QLabel()
        self.counts_label.setObjectName("countsLabel")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(90)
        self.busy.setMaximumHeight(14)
        self.busy.setTextVisible(False)
        self.busy.hide()
        status_bar.addWidget(self.database_label, 1)
        status_bar.addPermanentWidget(self.busy)
        status_bar.addPermanentWidget(self.counts_label)

    def show(self, opened: OpenedDatabase | None, counts: dict[str, int]) -> None:
        if opened is None:
            text, tip = _("No database open"), ""
        elif opened.demo:
            text, tip = _("Demo network – File ▸ New database… starts your own"), opened.where
        elif opened.server is not None:
            text = _("Server: {address}").format(address=opened.where)
            tip = opened.server.url()
        else:
            text = opened.where
            if opened.read_only:
                text = _("{path} (read-only)").format(path=text)
            tip = opened.where
        self.database_label.setText(text)
        self.database_label.setToolTip(tip)
        self.counts_label.setText(counts_text(counts))
