"""The standard TOPs are editable in the settings and used for the next new meeting."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.models import AgendaItemKind
from app.services.standard_agenda import standard_agenda
from tests.gui.meetings_planning.conftest import WAIT_MS, Planned
from ui.settings.standard_agenda_dialog import StandardAgendaDialog
from ui.tasks import TaskRunner


def test_edit_and_store_the_standard_items(
    qtbot: QtBot, runner: TaskRunner, planned: Planned
) -> None:
    dialog = StandardAgendaDialog(runner, planned.db)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ready, timeout=WAIT_MS):
        dialog.show()
    assert dialog.items.toPlainText().splitlines()[0] == "Begrüßung | 10 | information"
    dialog.items.setPlainText(
        "Begrüßung und Vorstellungsrunde | 15 | information\n"
        "Offene Aufgaben | 20 | discussion | open items\n"
        "Verschiedenes | 10 | discussion\n"
    )
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    items = standard_agenda(planned.db, "de")
    assert [(i.title, i.minutes) for i in items] == [
        ("Begrüßung und Vorstellungsrunde", 15),
        ("Offene Aufgaben", 20),
        ("Verschiedenes", 10),
    ]
    assert items[1].lists_open_action_items
    assert items[1].kind is AgendaItemKind.DISCUSSION


def test_a_broken_line_is_refused_and_nothing_stored(
    qtbot: QtBot, runner: TaskRunner, planned: Planned
) -> None:
    before = standard_agenda(planned.db, "de")
    dialog = StandardAgendaDialog(runner, planned.db)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ready, timeout=WAIT_MS):
        dialog.show()
    dialog.items.setPlainText("Begrüßung | zehn | information")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.error.isVisible()
    assert dialog.isVisible()
    assert standard_agenda(planned.db, "de") == before
