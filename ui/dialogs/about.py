"""Help ▸ About Treffpunkt: version, the database in use and its schema revision."""

from __future__ import annotations

import platform
from html import escape

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

import app
from app.i18n import _
from ui.opening import OpenedDatabase


def show_about(parent: QWidget, opened: OpenedDatabase | None) -> QMessageBox:
    """Opens the box window-modal (no nested event loop) and returns it."""
    database = escape(opened.where) if opened else escape(_("none"))
    revision = escape((opened.schema_revision or "–") if opened else "–")
    purpose = _("Plan network meetings, invite partners, record attendance and write minutes.")
    database_label, revision_label = _("Database:"), _("Schema revision:")
    box = QMessageBox(parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setObjectName("aboutBox")
    box.setWindowTitle(_("About Treffpunkt"))
    box.setIcon(QMessageBox.Icon.Information)
    # Rich text for the layout; the path is the only user data and is escaped.
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(
        f"<h3>Treffpunkt {escape(app.__version__)}</h3>"
        f"<p>{escape(purpose)}</p>"
        f"<p>{escape(database_label)} {database}<br>"
        f"{escape(revision_label)} {revision}</p>"
        f"<p><small>Qt {escape(qVersion())} · PySide6 {escape(PySide6.__version__)} · "
        f"Python {escape(platform.python_version())}</small></p>"
    )
    box.open()
    return box
