"""The meetings page: the list, and the details of a selected meeting in tabs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from pytestqt.qtbot import QtBot

from app.db import Database
from app.i18n import _
from app.models import AgendaItem, InvitationState, Meeting
from app.services.meetings import INVITATION_STATE_LABELS, get_meeting, label
from ui.main_window import MainWindow
from ui.meetings.page import MeetingsPage

OpenAndWait = Callable[[Path], MainWindow]
BERLIN = ZoneInfo("Europe/Berlin")
WAIT_MS = 15_000


def meetings_page(window: MainWindow, qtbot: QtBot) -> MeetingsPage:
    workspace = window.workspace()
    assert workspace is not None
    tab_bar = workspace.tabBar()
    qtbot.mouseClick(tab_bar, Qt.MouseButton.LeftButton, pos=tab_bar.tabRect(1).center())
    assert workspace.currentWidget() is workspace.meetings
    return workspace.meetings


def select(qtbot: QtBot, page: MeetingsPage, title: str) -> int:
    """Click the meeting's row like a user; returns its id once its details are shown."""
    rows = page.model.rows()
    number = next(i for i, row in enumerate(rows) if row.title == title)
    rect = page.view.visualRect(page.view.model().index(number, 2))
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    meeting_id: int = blocker.args[0]
    assert meeting_id == rows[number].id
    return meeting_id


def column(model: object, number: int) -> list[str]:
    return [model.index(r, number).data() for r in range(model.rowCount())]  # type: ignore[attr-defined]


def test_auftakt_agenda_shows_computed_start_times(
    open_and_wait: OpenAndWait, demo_path: Path, qtbot: QtBot
) -> None:
    page = meetings_page(open_and_wait(demo_path), qtbot)
    select(qtbot, page, "Auftakt-Netzwerktreffen der Impuls.Ag")
    detail = page.detail
    agenda = detail.agenda_model
    starts = dict(zip(column(agenda, 0), column(agenda, 1), strict=True))
    assert starts["1"] == "15:00"
    assert starts["2"] == "15:10"  # after the 10 minutes of TOP 1
    assert starts["2.1"] == "15:15"  # sub-items follow their parent's own 5 minutes
    titles = dict(zip(column(agenda, 0), column(agenda, 2), strict=True))
    assert titles["2"] == "Vorstellung der geförderten Projekte"
    assert titles["2.1"].endswith("Quartiersbüros")
    assert titles["2.1"] != titles["2.1"].lstrip()  # sub-items are indented
    assert detail.title.text() == "Auftakt-Netzwerktreffen der Impuls.Ag"
    assert detail.tabs.tabText(1) == f"{_('Agenda')} ({agenda.rowCount()})"


def test_invitation_counts_per_state_are_shown_above_the_table(
    open_and_wait: OpenAndWait, demo_path: Path, qtbot: QtBot
) -> None:
    window = open_and_wait(demo_path)
    page = meetings_page(window, qtbot)
    meeting_id = select(qtbot, page, "Auftakt-Netzwerktreffen der Impuls.Ag")
    opened = window.opened()
    assert opened is not None
    expected = Counter(row.state for row in get_meeting(opened.database, meeting_id).invitations)
    assert expected[InvitationState.ACCEPTED] > 0

    detail = page.detail
    counts = detail.invitation_counts.text()
    for state in InvitationState:
        assert f"{label(INVITATION_STATE_LABELS, state)}: {expected[state]}" in counts
    assert detail.invitation_model.rowCount() == sum(expected.values())
    replies = Counter(column(detail.invitation_model, 3))
    assert (
        replies[label(INVITATION_STATE_LABELS, InvitationState.ACCEPTED)]
        == expected[InvitationState.ACCEPTED]
    )


def test_minutes_show_notes_decisions_and_action_items(
    open_and_wait: OpenAndWait, demo_path: Path, qtbot: QtBot
) -> None:
    page = meetings_page(open_and_wait(demo_path), qtbot)
    select(qtbot, page, "Auftakt-Netzwerktreffen der Impuls.Ag")
    text = page.detail.minutes.toPlainText()
    assert "TOP 1: Begrüßung" in text
    assert "Die Impuls.Ag wird nach dem Ende der Förderphase fortgeführt" in text
    assert _("Action items") in text
    attendance = page.detail.attendance_model.rows()
    guests = sum(row.guest for row in attendance)
    assert guests > 0
    assert _("Guests: {count}").format(count=guests) in page.detail.attendance_counts.text()


def test_upcoming_meetings_come_first_in_bold(
    open_and_wait: OpenAndWait, demo_path: Path, qtbot: QtBot
) -> None:
    page = meetings_page(open_and_wait(demo_path), qtbot)
    rows = page.model.rows()
    assert rows[0].upcoming
    assert not rows[-1].upcoming
    first_font = page.model.index(0, 2).data(Qt.ItemDataRole.FontRole)
    assert isinstance(first_font, QFont)
    assert first_font.bold()
    assert page.model.index(len(rows) - 1, 2).data(Qt.ItemDataRole.FontRole) is None
    # The next meeting is selected and shown without a click.
    qtbot.waitUntil(lambda: page.detail.title.text() == rows[0].title, timeout=WAIT_MS)


def _add_meeting(
    db: Database, title: str, *, notes: str = "", minutes: tuple[int, ...] = ()
) -> None:
    start = datetime(2030, 5, 6, 18, 0, tzinfo=BERLIN)
    with db.write() as session:
        meeting = Meeting(title=title, start=start, end=start + timedelta(hours=1))
        for position, length in enumerate(minutes, start=1):
            meeting.agenda_items.append(
                AgendaItem(
                    position=position,
                    title=f"Punkt {position}",
                    planned_minutes=length,
                    notes=notes if position == 1 else "",
                )
            )
        session.add(meeting)


def test_empty_meeting_shows_empty_states(
    open_and_wait: OpenAndWait, db: Database, qtbot: QtBot
) -> None:
    _add_meeting(db, "Planungsrunde")
    page = meetings_page(open_and_wait(db.path), qtbot)
    qtbot.waitUntil(lambda: page.detail.title.text() == "Planungsrunde", timeout=WAIT_MS)
    detail = page.detail
    assert detail.agenda_model.rowCount() == 0
    assert detail.agenda_view.empty_text() == _("No agenda yet.")
    assert detail.invitation_view.empty_text() == _("No invitations yet.")
    assert not detail.invitation_counts.isVisible()
    assert detail.minutes.toPlainText() == ""
    assert detail.minutes.placeholderText() == _("No minutes yet.")


def test_overrunning_agenda_is_flagged_and_user_text_is_not_html(
    open_and_wait: OpenAndWait, db: Database, qtbot: QtBot
) -> None:
    _add_meeting(db, "Lange Sitzung", minutes=(45, 30), notes="<b>kein Fett</b> & <img src=x>")
    page = meetings_page(open_and_wait(db.path), qtbot)
    qtbot.waitUntil(lambda: page.detail.title.text() == "Lange Sitzung", timeout=WAIT_MS)
    overview = page.detail.overview
    page.detail.tabs.setCurrentIndex(0)
    assert overview.value("planned_end") == "19:15"
    assert overview.overrun_warning.isVisible()
    assert "15" in overview.overrun_warning.text()
    assert "<b>kein Fett</b> & <img src=x>" in page.detail.minutes.toPlainText()
