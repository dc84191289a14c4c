"""Network page ▸ Find duplicates…: compare, choose whom to keep, merge after confirming."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select, text

from app.db import Database
from app.models import Invitation, InvitationState, Meeting, Person, PersonEmail
from app.services.backup import BackupKind, list_backups
from ui.main_window import MainWindow
from ui.network.duplicates_dialog import DuplicatesDialog

OpenAndWait = Callable[[Path], MainWindow]
WAIT_MS = 15_000


@dataclass(frozen=True)
class Twin:
    path: Path
    original: int
    duplicate: int
    meeting: int  # only the duplicate is invited to it


@pytest.fixture
def twin(demo_path: Path) -> Twin:
    """The demo network plus a second record (same address, other case) of an invitee."""
    database = Database.open(demo_path)
    try:
        with database.write() as session:
            original = session.scalars(
                select(Person)
                .join(Invitation, Invitation.person_id == Person.id)
                .where(Person.organisation_id.is_not(None))
                .order_by(Person.id)
            ).first()
            assert original is not None
            assert original.preferred_email
            meeting = session.scalars(select(Meeting).order_by(Meeting.start)).first()
            assert meeting is not None
            session.execute(
                text("DELETE FROM invitations WHERE person_id = :p AND meeting_id = :m"),
                {"p": original.id, "m": meeting.id},
            )
            copy = Person(
                first_name=original.first_name,
                last_name=original.last_name,
                organisation_id=original.organisation_id,
                function="aus Excel",
            )
            copy.emails.append(
                PersonEmail(address=original.preferred_email.upper(), is_preferred=True)
            )
            session.add(copy)
            session.flush()
            session.add(
                Invitation(meeting_id=meeting.id, person_id=copy.id, state=InvitationState.ACCEPTED)
            )
            result = Twin(demo_path, original.id, copy.id, meeting.id)
    finally:
        database.close()
    return result


def open_dialog(window: MainWindow, qtbot: QtBot) -> DuplicatesDialog:
    workspace = window.workspace()
    assert workspace is not None
    qtbot.mouseClick(workspace.network.duplicates_button, Qt.MouseButton.LeftButton)
    dialog = workspace.network.findChild(DuplicatesDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.groups_model.rowCount() > 0, timeout=WAIT_MS)
    return dialog


def test_merge_a_duplicate_from_the_network_page(
    open_and_wait: OpenAndWait,
    twin: Twin,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    qtmodeltester: ModelTester,
) -> None:
    window = open_and_wait(twin.path)
    dialog = open_dialog(window, qtbot)
    assert dialog.groups_model.rowCount() == 1
    group = dialog.current_group()
    assert group is not None
    assert set(group.person_ids) == {twin.original, twin.duplicate}
    qtmodeltester.check(dialog.groups_model)
    qtmodeltester.check(dialog.comparison_model)
    # Side by side: one column per person, the function differs.
    assert dialog.comparison_model.columnCount() == 2

    # The user keeps the original record (chosen in the combo box by keyboard).
    dialog.keep_choice.setFocus()
    index = dialog.keep_choice.findData(twin.original)
    while dialog.keep_choice.currentIndex() != index:
        key = Qt.Key.Key_Down if dialog.keep_choice.currentIndex() < index else Qt.Key.Key_Up
        qtbot.keyClick(dialog.keep_choice, key)
    assert dialog.keep_id() == twin.original

    asked: list[str] = []

    def confirm(_parent: Any, _title: str, text_: str, *_args: Any) -> QMessageBox.StandardButton:
        asked.append(text_)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(confirm))
    with qtbot.waitSignal(dialog.merged, timeout=WAIT_MS) as merged:
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1
    result = merged.args[0]
    assert result.kept_id == twin.original
    assert result.merged_ids == (twin.duplicate,)
    assert result.backup_path is not None

    # The list refreshes: no duplicates left.
    qtbot.waitUntil(lambda: dialog.groups_model.rowCount() == 0, timeout=WAIT_MS)
    assert not dialog.merge_button.isEnabled()

    database = Database.open(twin.path)
    try:
        with database.read() as session:
            assert session.get(Person, twin.duplicate) is None
            invitation = session.scalars(
                select(Invitation).where(
                    Invitation.meeting_id == twin.meeting, Invitation.person_id == twin.original
                )
            ).one()
            assert invitation.state is InvitationState.ACCEPTED
            kept = session.get_one(Person, twin.original)
            assert len(kept.emails) == len({e.address_key for e in kept.emails})
    finally:
        database.close()
    assert BackupKind.MANUAL in [b.kind for b in list_backups(twin.path)]
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)


def test_declining_the_confirmation_merges_nothing(
    open_and_wait: OpenAndWait,
    twin: Twin,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_and_wait(twin.path)
    dialog = open_dialog(window, qtbot)
    monkeypatch.setattr(
        QMessageBox,
        "question",
        staticmethod(lambda *_args: QMessageBox.StandardButton.Cancel),
    )
    with qtbot.assertNotEmitted(dialog.merged):
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert not window.runner.is_busy()
    database = Database.open(twin.path)
    try:
        with database.read() as session:
            assert session.get(Person, twin.duplicate) is not None
    finally:
        database.close()
