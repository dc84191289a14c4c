"""Accessibility: every interactive widget has a name a screen reader can say, on every page
and in every dialog; colours come from the palette (dark and high-contrast themes).

Names are checked as Qt's accessibility layer reports them (``tests/gui/accessibility.py``):
an accessible name, a button's text, a buddy label or the enclosing group box's title.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

import ui
from app.db import Database
from app.mail.secrets import SessionPasswords
from app.models import OutboxKind
from app.services.directory import list_people
from app.services.directory_editing import editing_choices
from app.services.meetings import list_meetings
from app.services.minutes_recovery import RecoveryEntry, RecoveryOffer
from tests.gui.accessibility import accessible_name, unnamed_interactive_widgets
from ui.main_window import MainWindow
from ui.palette import Tone, colour, contrast, high_contrast
from ui.tasks import TaskRunner

WAIT_MS = 15_000
AUFTAKT = "Auftakt-Netzwerktreffen der Impuls.Ag"
OpenAndWait = Callable[[Path], MainWindow]


def show_every_tab(qtbot: QtBot, window: MainWindow) -> None:
    """Each page and each tab of a meeting once, so that lazily built parts exist."""
    workspace = window.workspace()
    assert workspace is not None
    for number in range(workspace.count()):
        workspace.setCurrentIndex(number)
        qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)
    meetings = workspace.meetings
    workspace.setCurrentWidget(meetings)
    row = next(n for n, r in enumerate(meetings.model.rows()) if r.title == AUFTAKT)
    with qtbot.waitSignal(meetings.detail_shown, timeout=WAIT_MS):
        meetings.view.selectRow(row)
    for number in range(meetings.detail.tabs.count()):
        meetings.detail.tabs.setCurrentIndex(number)
        qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)
    for number in range(meetings.minutes.tabs.count()):
        meetings.minutes.tabs.setCurrentIndex(number)
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)


def test_every_interactive_widget_on_every_page_has_a_name(
    open_and_wait: OpenAndWait, demo_path: Path, qtbot: QtBot
) -> None:
    window = open_and_wait(demo_path)
    show_every_tab(qtbot, window)
    assert unnamed_interactive_widgets(window) == []
    workspace = window.workspace()
    assert workspace is not None
    attendance = workspace.meetings.attendance
    attendance.open_door_mode()
    door = attendance.door
    assert door is not None
    qtbot.waitUntil(lambda: door.model.rowCount() > 0, timeout=WAIT_MS)
    assert unnamed_interactive_widgets(door) == []
    door.close()
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)


def test_the_check_finds_an_unnamed_field() -> None:
    """The walk must be able to fail: a bare line edit or table is reported, a labelled one
    is not."""
    from PySide6.QtWidgets import QFormLayout, QLineEdit, QTableView

    root = QWidget()
    form = QFormLayout(root)
    bare, labelled, table = QLineEdit(), QLineEdit(), QTableView()
    bare.setObjectName("bare")
    bare.setPlaceholderText("A placeholder is no name")
    form.addRow(bare)
    form.addRow("&Name:", labelled)
    form.addRow(table)
    found = unnamed_interactive_widgets(root)
    assert [line.split(" < ")[0] for line in found] == ["QLineEdit#bare", "QTableView#?"]
    assert accessible_name(labelled) == "Name:"
    root.deleteLater()


# -- every dialog ----------------------------------------------------------------------------

Factory = Callable[["DialogContext"], QWidget]


class DialogContext:
    """What the dialogs need: the demo network, a runner, its meetings and people."""

    def __init__(self, window: MainWindow) -> None:
        opened = window.opened()
        assert opened is not None
        self.window = window
        self.db: Database = opened.database
        self.path: Path = opened.path
        self.runner: TaskRunner = window.runner
        meetings = {row.title: row.id for row in list_meetings(self.db)}
        self.meeting = meetings[AUFTAKT]
        self.person = list_people(self.db)[0].id


def _signin(c: DialogContext) -> QWidget:
    from ui.attendance.signin_print import SigninDialog

    return SigninDialog(c.runner, c.db, c.meeting, AUFTAKT, c.window)


def _partial(c: DialogContext) -> QWidget:
    from app.services.attendance import attendance_sheet
    from app.services.meetings import get_meeting
    from ui.attendance.partial_dialog import PartialDialog

    row = next(r for r in attendance_sheet(c.db, c.meeting) if r.person_id is not None)
    return PartialDialog(row, get_meeting(c.db, c.meeting).agenda, c.window)


def _walk_in(c: DialogContext) -> QWidget:
    from ui.attendance.walk_in import WalkInDialog

    return WalkInDialog("Lena Kaya", None, c.window)


def _venue(c: DialogContext) -> QWidget:
    from ui.meetings.venue_dialog import VenueDialog

    return VenueDialog(c.runner, c.db, "Stadtteilzentrum", c.window)


def _mailing(c: DialogContext) -> QWidget:
    from ui.meetings.mailing_dialog import MailingDialog

    return MailingDialog(
        c.runner, c.db, c.meeting, OutboxKind.INVITATION, SessionPasswords(), c.window
    )


def _meeting(c: DialogContext) -> QWidget:
    from ui.meetings.meeting_dialog import MeetingDialog, Mode

    return MeetingDialog(c.runner, c.db, Mode.EDIT, c.meeting, c.window)


def _reschedule(c: DialogContext) -> QWidget:
    from ui.meetings.meeting_dialog import RescheduleDialog

    return RescheduleDialog(c.runner, c.db, c.meeting, c.window)


def _invite(c: DialogContext) -> QWidget:
    from ui.meetings.invite_dialog import InviteDialog

    return InviteDialog(c.runner, c.db, c.meeting, c.window)


def _groups(c: DialogContext) -> QWidget:
    from ui.network.groups_dialog import GroupsDialog

    workspace = c.window.workspace()
    assert workspace is not None
    return GroupsDialog(workspace.network.editing.actions, c.window)


def _duplicates(c: DialogContext) -> QWidget:
    from ui.network.duplicates_dialog import DuplicatesDialog

    return DuplicatesDialog(c.runner, c.db, parent=c.window)


def _person(c: DialogContext) -> QWidget:
    from ui.network.person_dialog import PersonDialog

    return PersonDialog(editing_choices(c.db), None, c.window)


def _organisation(c: DialogContext) -> QWidget:
    from ui.network.organisation_dialog import OrganisationDialog

    return OrganisationDialog(editing_choices(c.db), None, c.window)


def _export(c: DialogContext) -> QWidget:
    from ui.network.export import ExportScopeDialog, PeopleInView

    return ExportScopeDialog(PeopleInView(total=85, shown=(1, 2, 3), selected=(2,)), c.window)


def _import(c: DialogContext) -> QWidget:
    from ui.network.import_dialog import ImportDialog

    return ImportDialog(c.runner, c.db, c.window)


def _access(c: DialogContext) -> QWidget:
    from ui.maintenance.privacy_dialogs import AccessDialog

    return AccessDialog(c.runner, c.db, c.person, c.window)


def _erasure(c: DialogContext) -> QWidget:
    from ui.maintenance.privacy_dialogs import ErasureDialog

    return ErasureDialog(c.runner, c.db, c.person, c.window)


def _retention(c: DialogContext) -> QWidget:
    from ui.maintenance.retention_dialog import RetentionDialog

    return RetentionDialog(c.runner, c.db, lambda: datetime.now(UTC), c.window)


def _backups(c: DialogContext) -> QWidget:
    from ui.maintenance.backup_dialog import BackupDialog

    return BackupDialog(c.runner, c.path, parent=c.window)


def _send_minutes(c: DialogContext) -> QWidget:
    from ui.minutes.send_dialog import SendMinutesDialog

    return SendMinutesDialog(c.runner, c.db, c.meeting, c.window)


def _recovery(c: DialogContext) -> QWidget:
    from ui.minutes.dialogs import RecoveryDialog

    entry = RecoveryEntry(
        str(c.path), c.meeting, 1, 1, "Getippt, nicht gespeichert", "2026-03-10T15:20:00+00:00"
    )
    return RecoveryDialog(RecoveryOffer(entry, "Gespeichert", 2), "TOP 1", c.window)


def _notes_conflict(c: DialogContext) -> QWidget:
    from ui.minutes.dialogs import NotesConflictDialog

    return NotesConflictDialog("TOP 1", "meine Fassung", "die andere Fassung", c.window)


def _connect(c: DialogContext) -> QWidget:
    from app.db.server_form import ServerForm
    from ui.team.connect_dialog import ConnectDialog

    return ConnectDialog(ServerForm("db.example", 5432, "netz", "anna"), c.window)


def _settings(c: DialogContext) -> QWidget:
    from ui.settings.dialog import SettingsDialog

    return SettingsDialog(c.runner, c.db, SessionPasswords(), meeting_id=c.meeting, parent=c.window)


def _setup(c: DialogContext) -> QWidget:
    from ui.settings.setup_wizard import SetupWizard

    return SetupWizard(c.runner, c.db, SessionPasswords(), parent=c.window)


def _manual(c: DialogContext) -> QWidget:
    from ui.dialogs.manual import ManualWindow

    return ManualWindow(c.window)


def _letters(c: DialogContext) -> QWidget:
    from ui.meetings.letters_dialog import LettersDialog

    return LettersDialog(c.runner, c.db, c.meeting, AUFTAKT, c.window)


def _funding_report(c: DialogContext) -> QWidget:
    from ui.projects.report_dialog import FundingReportDialog

    return FundingReportDialog(c.runner, c.db, None, c.window)


def _link_meeting(c: DialogContext) -> QWidget:
    from app.services.projects.queries import meeting_choices
    from ui.projects.link_dialog import LinkMeetingDialog

    return LinkMeetingDialog(meeting_choices(c.db), (), c.window)


def _press(c: DialogContext) -> QWidget:
    from ui.projects.press_editor import PressEditor

    return PressEditor(c.runner, c.db, c.meeting, c.window)


DIALOGS: dict[str, Factory] = {
    "SettingsDialog": _settings,
    "SetupWizard": _setup,
    "ManualWindow": _manual,
    "LettersDialog": _letters,
    "FundingReportDialog": _funding_report,
    "LinkMeetingDialog": _link_meeting,
    "PressEditor": _press,
    "SigninDialog": _signin,
    "PartialDialog": _partial,
    "WalkInDialog": _walk_in,
    "VenueDialog": _venue,
    "MailingDialog": _mailing,
    "MeetingDialog": _meeting,
    "RescheduleDialog": _reschedule,
    "InviteDialog": _invite,
    "GroupsDialog": _groups,
    "DuplicatesDialog": _duplicates,
    "PersonDialog": _person,
    "OrganisationDialog": _organisation,
    "ExportScopeDialog": _export,
    "ImportDialog": _import,
    "AccessDialog": _access,
    "ErasureDialog": _erasure,
    "RetentionDialog": _retention,
    "BackupDialog": _backups,
    "SendMinutesDialog": _send_minutes,
    "RecoveryDialog": _recovery,
    "NotesConflictDialog": _notes_conflict,
    "ConnectDialog": _connect,
}


def dialog_classes() -> set[str]:
    """Every QDialog subclass defined in ``ui`` (message boxes excepted: buttons only; a base
    class such as ``FormDialog`` is checked through the dialogs built on it)."""
    from PySide6.QtWidgets import QMessageBox

    found: list[type] = []
    for module_info in pkgutil.walk_packages(ui.__path__, "ui."):
        module = importlib.import_module(module_info.name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if (
                value.__module__ == module.__name__
                and issubclass(value, QDialog)
                and not issubclass(value, QMessageBox)
            ):
                found.append(value)
    return {value.__name__ for value in found if not value.__subclasses__()}


def test_every_dialog_class_is_checked() -> None:
    """A new dialog must join ``DIALOGS``, or the check below would miss it."""
    assert dialog_classes() == set(DIALOGS)


@pytest.fixture
def context(open_and_wait: OpenAndWait, demo_path: Path) -> DialogContext:
    return DialogContext(open_and_wait(demo_path))


@pytest.mark.parametrize("name", sorted(DIALOGS))
def test_every_interactive_widget_in_every_dialog_has_a_name(
    name: str, context: DialogContext, qtbot: QtBot
) -> None:
    dialog = DIALOGS[name](context)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    dialog.show()
    qtbot.waitUntil(lambda: not context.runner.is_busy(), timeout=WAIT_MS)
    assert unnamed_interactive_widgets(dialog) == [], name
    dialog.close()
    dialog.deleteLater()
    qtbot.waitUntil(lambda: not context.runner.is_busy(), timeout=WAIT_MS)


# -- colours from the palette ----------------------------------------------------------------


def _palette(window: str, text: str) -> QPalette:
    palette = QPalette(QGuiApplication.palette())
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.Window, QColor(window))
        palette.setColor(group, QPalette.ColorRole.Base, QColor(window))
        palette.setColor(group, QPalette.ColorRole.WindowText, QColor(text))
        palette.setColor(group, QPalette.ColorRole.Text, QColor(text))
    return palette


def test_tones_stay_readable_on_light_and_dark_palettes(qapp: QApplication) -> None:
    light, dark = _palette("#ffffff", "#000000"), _palette("#2b2b2b", "#f0f0f0")
    for tone in (Tone.POSITIVE, Tone.NEGATIVE, Tone.CAUTION):
        on_light = colour(tone, light)
        on_dark = colour(tone, dark)
        assert on_light != on_dark
        assert contrast(on_light, QColor("#ffffff")) >= 4.5, tone
        assert contrast(on_dark, QColor("#2b2b2b")) >= 4.5, tone


def test_a_high_contrast_palette_gets_its_own_colours_back(qapp: QApplication) -> None:
    # A Windows high-contrast theme: white on black, yellow highlight.
    theme = _palette("#000000", "#ffffff")
    assert high_contrast(theme)
    for tone in (Tone.POSITIVE, Tone.NEGATIVE, Tone.CAUTION, Tone.MUTED):
        assert colour(tone, theme) == QColor("#ffffff"), tone
    assert colour(Tone.ERROR_BACKGROUND, theme) == QColor("#000000")
    assert not high_contrast(_palette("#efefef", "#202020"))


def test_the_window_follows_a_dark_palette(
    open_and_wait: OpenAndWait, demo_path: Path, qtbot: QtBot, qapp: QApplication
) -> None:
    """Colours are not fixed at start: models ask the palette each time they paint."""
    from app.models import InvitationState
    from ui.meetings.models import invitation_colour

    window = open_and_wait(demo_path)
    before = invitation_colour(InvitationState.ACCEPTED)
    original = QPalette(qapp.palette())
    try:
        qapp.setPalette(_palette("#2b2b2b", "#f0f0f0"))
        after = invitation_colour(InvitationState.ACCEPTED)
        assert after is not None
        assert after != before
        assert contrast(after, QColor("#2b2b2b")) >= 4.5
    finally:
        qapp.setPalette(original)
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=WAIT_MS)


def test_no_colour_is_written_into_a_widget() -> None:
    """Colours live in ui/palette.py only: no hex colour, QColor literal or "color:" rule
    elsewhere in ui/."""
    import re

    root = Path(ui.__file__).parent
    pattern = re.compile(r"#[0-9a-fA-F]{6}\b|QColor\(\s*[\"\d]|Qt\.GlobalColor\.")
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py")
        if path.name != "palette.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


@pytest.mark.parametrize("name", sorted(DIALOGS))
def test_every_dialog_fits_a_laptop_screen(name: str, context: DialogContext, qtbot: QtBot) -> None:
    """No dialog needs more than 1366×768 minus a taskbar and a title bar, and none opens
    larger than the screen it is on (here the offscreen screen, smaller than a laptop's)."""
    from ui.widgets.sizing import FRAME_ALLOWANCE

    dialog = DIALOGS[name](context)
    dialog.show()
    qtbot.waitUntil(lambda: not context.runner.is_busy(), timeout=WAIT_MS)
    hint = dialog.minimumSizeHint()
    assert hint.width() <= 1366 - FRAME_ALLOWANCE[0], name
    assert hint.height() <= 728 - FRAME_ALLOWANCE[1], name
    available = dialog.screen().availableGeometry()
    assert dialog.width() <= max(available.width() - FRAME_ALLOWANCE[0], hint.width()), name
    assert dialog.height() <= max(available.height() - FRAME_ALLOWANCE[1], hint.height()), name
    dialog.close()
    dialog.deleteLater()
    qtbot.waitUntil(lambda: not context.runner.is_busy(), timeout=WAIT_MS)
