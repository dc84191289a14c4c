"""The small models of the editing dialogs pass Qt's model tester and behave as shown."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.models import ConsentMethod, ConsentTopic
from app.services.directory_editing import Choice, ConsentRow, EmailInput
from ui.network.check_list import CheckList, CheckListModel
from ui.network.consent_widget import ConsentEditor
from ui.network.contact_rows import EmailEditor
from ui.network.groups_dialog import LabelModel

CHOICES = (Choice(1, "Impuls.Ag", members=3), Choice(2, "Sport"), Choice(3, "Ältere"))


def test_check_list_model(qtmodeltester: Any) -> None:
    model = CheckListModel()
    model.set_choices(CHOICES, checked=[2, 99])
    qtmodeltester.check(model)
    assert model.checked_ids() == (2,)
    assert model.setData(
        model.index(0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
    )
    assert model.checked_ids() == (1, 2)
    model.set_checked(2, False)
    assert model.checked_ids() == (1,)


def test_check_list_filter_ignores_accents(qtbot: QtBot) -> None:
    widget = CheckList("filter")
    qtbot.addWidget(widget)
    widget.set_choices(CHOICES)
    qtbot.keyClicks(widget.filter_field, "alt")
    assert widget.view.model().rowCount() == 1
    assert widget.view.model().index(0, 0).data() == "Ältere"


def test_label_model(qtmodeltester: Any) -> None:
    model = LabelModel("groups")
    model.set_rows(CHOICES)
    qtmodeltester.check(model)
    assert model.index(0, 0).data() == "Impuls.Ag"


def test_consent_editor_shows_history_and_pending_statements(
    qtbot: QtBot, qtmodeltester: Any
) -> None:
    editor = ConsentEditor()
    qtbot.addWidget(editor)
    editor.set_statements(
        (
            ConsentRow(
                1,
                ConsentTopic.EMAIL_INVITATIONS,
                True,
                datetime(2024, 3, 1, 11, tzinfo=UTC),
                ConsentMethod.FORM,
                "Formular",
            ),
        )
    )
    qtmodeltester.check(editor.model)
    assert editor.current_state(ConsentTopic.EMAIL_INVITATIONS) is True
    assert editor.current_state(ConsentTopic.PHOTOS) is None
    editor.given.setCurrentIndex(editor.given.findData(False))
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.current_state(ConsentTopic.EMAIL_INVITATIONS) is False
    (pending,) = editor.pending()
    assert (pending.topic, pending.given, pending.recorded_on) == (
        ConsentTopic.EMAIL_INVITATIONS,
        False,
        date.today(),
    )
    # Newest first.
    assert editor.model.row(0).pending


def test_email_editor_keeps_exactly_one_preferred(qtbot: QtBot) -> None:
    editor = EmailEditor()
    qtbot.addWidget(editor)
    editor.set_emails((EmailInput("a@x.example"), EmailInput("b@x.example", True)))
    assert editor.emails() == (EmailInput("a@x.example"), EmailInput("b@x.example", True))
    editor.remove_row(editor.rows[1])  # the preferred one goes: the first takes over
    assert editor.emails() == (EmailInput("a@x.example", True),)
    editor.add_row("c@x.example")
    assert [e.preferred for e in editor.emails()] == [True, False]
