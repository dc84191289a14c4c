"""Mail templates: edit, preview with a real invitee, store; unknown placeholders refused."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.mail.templates import load_template
from app.models import OutboxKind
from app.services.invitations import add_invitees, find_candidates
from tests.gui.meetings_planning.conftest import WAIT_MS, Planned
from ui.meetings.templates_dialog import TemplatesDialog
from ui.tasks import TaskRunner


def open_templates(qtbot: QtBot, runner: TaskRunner, planned: Planned) -> TemplatesDialog:
    add_invitees(planned.db, planned.meeting_id, [r.person_id for r in find_candidates(planned.db)])
    dialog = TemplatesDialog(runner, planned.db, planned.meeting_id)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ready, timeout=WAIT_MS):
        dialog.show()
    return dialog


def test_edit_preview_and_save(qtbot: QtBot, runner: TaskRunner, planned: Planned) -> None:
    dialog = open_templates(qtbot, runner, planned)
    assert dialog.body.toPlainText()  # the German invitation template
    dialog.subject.setText("Herzliche Einladung: {meeting_title}")
    with qtbot.waitSignal(dialog.previewed, timeout=WAIT_MS) as blocker:
        dialog.show_preview()
    assert blocker.args[0].startswith("Betreff: Herzliche Einladung: Netzwerktreffen Impuls.Ag")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    stored = load_template(planned.db, "de", OutboxKind.INVITATION)
    assert stored.subject == "Herzliche Einladung: {meeting_title}"


def test_unknown_placeholder_is_refused(qtbot: QtBot, runner: TaskRunner, planned: Planned) -> None:
    dialog = open_templates(qtbot, runner, planned)
    before = load_template(planned.db, "de", OutboxKind.INVITATION)
    dialog.subject.setText("Einladung {meeting.__class__}")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: bool(dialog.message.text()), timeout=WAIT_MS)
    assert "#b00020" in dialog.message.styleSheet()
    assert load_template(planned.db, "de", OutboxKind.INVITATION) == before
