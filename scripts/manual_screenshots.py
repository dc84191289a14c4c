"""Take the screenshots of the user guide again, e.g. after a change to the window.

Usage: .venv/bin/python scripts/manual_screenshots.py [--out DIR] [--only NAME ...] [--review DIR]

Builds a fresh demo network in a temporary folder (nothing of the user's is touched), opens
it in the real main window, maximised on a 1366×768 laptop screen (Qt's offscreen platform
configured so: no screen needed; under Xvfb with ``QT_QPA_PLATFORM=xcb`` it works the same)
and walks to each place the guide shows: pages, dialogs, the door mode. Each picture is
``QWidget.grab()`` of the window or dialog, scaled to at most ``MAX_WIDTH`` pixels and
reduced to a 256-colour palette, so a PNG stays well under ``MAX_BYTES``.
Then run ``scripts/build_manual.py``.

``--review DIR`` also saves every page of the settings dialog and every step of the set-up
assistant at full size, to look at them.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCREEN = (1366, 768)
AVAILABLE = (1366, 728)  # below a 40-pixel taskbar: what a maximised window gets
MAX_WIDTH = 1000
MAX_BYTES = 150_000
DEFAULT_OUT = ROOT / "resources" / "manual" / "images"
WAIT_SECONDS = 20.0
DRAFTS_SHOWN = r"C:\Users\sabine.krueger\Documents\Treffpunkt-Entwürfe"


def _private_home() -> Path:
    """Preferences, backups and the keyring stay in a throwaway folder."""
    home = Path(tempfile.mkdtemp(prefix="treffpunkt-shots-"))
    for variable, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config")):
        os.environ[variable] = str(home / sub)
    os.environ["HOME"] = str(home)
    os.environ["LANG"] = "de_DE.UTF-8"
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    return home


def _laptop_screen(home: Path) -> None:
    """Qt's offscreen platform as a 1366×768 laptop screen with a taskbar (by default it is
    800×800, and dialogs sized to fit their screen would come out narrower than on a
    laptop). A platform chosen from outside (``xcb`` under Xvfb) is kept."""
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") != "offscreen":
        return
    config = home / "screen.json"
    screen = {
        "name": "laptop",
        "x": 0,
        "y": 0,
        "width": SCREEN[0],
        "height": SCREEN[1],
        "availableGeometry": {"x": 0, "y": 0, "width": AVAILABLE[0], "height": AVAILABLE[1]},
        "logicalDpi": 96,
        "logicalBaseDpi": 96,
        "dpr": 1,
    }
    config.write_text(
        json.dumps({"windowFrameMargins": False, "screens": [screen]}), encoding="utf-8"
    )
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


HOME = _private_home()
_laptop_screen(HOME)

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtGui import QGuiApplication, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QWidget  # noqa: E402

from app import i18n  # noqa: E402
from app.db import Database  # noqa: E402
from app.models import MeetingState  # noqa: E402
from app.preferences import Preferences  # noqa: E402
from app.services.demo import fill_demo  # noqa: E402
from app.services.meetings import list_meetings  # noqa: E402
from app.services.settings_registry import change_setting  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.tasks import TaskRunner  # noqa: E402
from ui.translations import apply_language  # noqa: E402


def wait_until(condition: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waiting for {what}")
        loop = QEventLoop()
        QTimer.singleShot(20, loop.quit)
        loop.exec()


def settle(window: MainWindow) -> None:
    """Wait until background work is done and the event queue is empty."""
    wait_until(lambda: not window.runner.is_busy(), "background work")
    for _ in range(5):
        QApplication.processEvents()


def save_png(pixmap: QPixmap, path: Path, *, full_size: bool = False) -> int:
    """Scale, reduce to a palette, optimise; returns the file size."""
    from PIL import Image
    from PySide6.QtCore import QBuffer, QIODevice

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pixmap.save(buffer, "PNG")
    image = Image.open(io.BytesIO(buffer.data().data())).convert("RGB")
    if not full_size and image.width > MAX_WIDTH:
        height = round(image.height * MAX_WIDTH / image.width)
        image = image.resize((MAX_WIDTH, height), Image.Resampling.LANCZOS)
    for colours in (256, 128, 64):
        data = io.BytesIO()
        image.quantize(colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            data, "PNG", optimize=True
        )
        if full_size or data.tell() <= MAX_BYTES:
            break
    path.write_bytes(data.getvalue())
    return data.tell()


def child(parent: QWidget, kind: type[QWidget]) -> QWidget:
    """The newest visible top-level dialog of *kind* (dialogs open window-modal)."""
    found: list[QWidget] = []

    def look() -> bool:
        found[:] = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()
        ]
        return bool(found)

    wait_until(look, kind.__name__)
    return found[-1]


class Shooter:
    """Drives the window to each place of the guide."""

    def __init__(self, out: Path, review: Path | None) -> None:
        self.out, self.review = out, review
        self.db_path = HOME / "Impuls.Ag.db"
        database = Database.create(self.db_path)
        try:
            fill_demo(database)
            # The drafts folder as it reads on the office PC (nothing is written there).
            change_setting(database, "mail.eml_dir", DRAFTS_SHOWN)
        finally:
            database.close()
        self.window = MainWindow(TaskRunner(), Preferences(language="de"))
        self.window.offer_setup_assistant = False
        self.window.resize(*AVAILABLE)  # maximised on the laptop
        self.window.show()
        self.window.open_database(self.db_path)
        wait_until(lambda: self.window.workspace() is not None, "the workspace")
        settle(self.window)
        workspace = self.window.workspace()
        assert workspace is not None
        self.workspace = workspace
        opened = self.window.opened()
        assert opened is not None
        self.db = opened.database
        meetings = list_meetings(self.db)
        self.upcoming = next(m.id for m in meetings if m.upcoming)
        self.held = max(
            (
                m
                for m in meetings
                if m.state in (MeetingState.MINUTES_FINAL, MeetingState.MINUTES_DRAFT)
            ),
            key=lambda m: m.start,
        ).id

    # -- helpers ---------------------------------------------------------------------------------

    def shot(self, widget: QWidget, name: str) -> None:
        settle(self.window)
        size = save_png(widget.grab(), self.out / f"{name}.png")
        print(f"{name}.png: {widget.width()}×{widget.height()}, {size // 1024} KB")

    def review_shot(self, widget: QWidget, name: str) -> None:
        if self.review is not None:
            settle(self.window)
            save_png(widget.grab(), self.review / f"{name}.png", full_size=True)
            print(f"review {name}.png")

    def meeting(self, meeting_id: int, tab: str) -> None:
        self.workspace.setCurrentWidget(self.workspace.meetings)
        page = self.workspace.meetings
        page.select_meeting(meeting_id)
        settle(self.window)
        tabs = page.detail.tabs
        wanted = {
            "agenda": page.detail.agenda_view.parentWidget(),
            "invitations": page.detail.invitation_view.parentWidget(),
            "attendance": page.attendance,
            "minutes": page.minutes,
        }[tab]
        for index in range(tabs.count()):
            widget = tabs.widget(index)
            holds = wanted is not None and widget is not None and widget.isAncestorOf(wanted)
            if holds or widget is wanted:
                tabs.setCurrentIndex(index)
        settle(self.window)

    def close(self, dialog: QWidget) -> None:
        if isinstance(dialog, QDialog):
            dialog.reject()
        else:
            dialog.close()
        settle(self.window)

    # -- the shots -------------------------------------------------------------------------------

    def network(self) -> None:
        self.workspace.setCurrentWidget(self.workspace.network)
        self.shot(self.window, "netzwerk")

    def import_contacts(self) -> None:
        from ui.network.import_dialog import ImportDialog

        dialog = ImportDialog(self.window.runner, self.db, self.window)
        dialog.resize(1100, 680)
        dialog.open()
        dialog.open_file(ROOT / "tests" / "core" / "contacts" / "files" / "outlook_de_cp1252.csv")
        wait_until(lambda: dialog.forecast() is not None, "the import preview")
        self.shot(dialog, "import")
        self.close(dialog)

    def meetings(self) -> None:
        self.meeting(self.upcoming, "agenda")
        self.shot(self.window, "treffen")

    def new_meeting(self) -> None:
        from ui.meetings.meeting_dialog import MeetingDialog

        self.workspace.setCurrentWidget(self.workspace.meetings)
        self.workspace.meetings.planner.new_meeting()
        dialog = child(self.window, MeetingDialog)
        settle(self.window)
        dialog.title.setText("Netzwerktreffen der Impuls.Ag – Sommer")  # type: ignore[attr-defined]
        self.shot(dialog, "neues-treffen")
        self.close(dialog)

    def invite(self) -> None:
        from ui.meetings.invite_dialog import InviteDialog

        self.meeting(self.upcoming, "invitations")
        self.shot(self.window, "einladungen")
        self.workspace.meetings.planner.invite()
        dialog = child(self.window, InviteDialog)
        self.shot(dialog, "einladen")
        self.close(dialog)

    def mailing(self) -> None:
        from ui.meetings.mailing_dialog import MailingDialog

        self.meeting(self.upcoming, "invitations")
        self.workspace.meetings.planner.send()
        dialog = child(self.window, MailingDialog)
        self.shot(dialog, "versand")
        self.close(dialog)

    def attendance(self) -> None:
        from ui.attendance.door_mode import DoorModeWindow
        from ui.attendance.signin_print import SigninDialog

        self.meeting(self.upcoming, "attendance")
        self.shot(self.window, "anwesenheit")
        self.workspace.meetings.attendance.open_signin()
        dialog = child(self.window, SigninDialog)
        self.shot(dialog, "anwesenheitsliste")
        self.close(dialog)
        self.workspace.meetings.attendance.open_door_mode()
        door = child(self.window, DoorModeWindow)
        door.resize(*AVAILABLE)
        self.shot(door, "tuerdienst")
        self.close(door)

    def minutes(self) -> None:
        from ui.minutes.send_dialog import SendMinutesDialog

        self.meeting(self.held, "minutes")
        editor = self.workspace.meetings.minutes
        wait_until(lambda: editor.view() is not None, "the minutes")
        rows = editor.top_view.model().rowCount()
        editor.top_view.setCurrentIndex(editor.top_view.model().index(min(3, rows - 1), 0))
        settle(self.window)
        self.shot(self.window, "protokoll")
        self.workspace.meetings.minutes.send_minutes()
        dialog = child(self.window, SendMinutesDialog)
        self.shot(dialog, "protokoll-senden")
        self.close(dialog)

    def figures(self) -> None:
        from datetime import date

        self.workspace.setCurrentWidget(self.workspace.figures)
        settle(self.window)
        # The demo's history: November 2022 to October 2023.
        self.workspace.figures.set_period(date(2022, 11, 1), date(2023, 12, 31))
        settle(self.window)
        self.shot(self.window, "auswertung")

    def settings(self) -> None:
        from ui.settings.dialog import PAGES

        self.meeting(self.upcoming, "agenda")
        dialog = self.window.show_settings()
        assert dialog is not None
        wait_until(lambda: dialog.stack.isEnabled(), "the settings")
        for name in PAGES:
            dialog.show_page(name)
            if name in ("organisation", "sender"):
                self.shot(dialog, f"einstellungen-{name}")
            self.review_shot(dialog, f"settings-{name}")
        self.close(dialog)

    def assistant(self) -> None:
        wizard = self.window.show_setup_assistant()
        assert wizard is not None
        wait_until(lambda: wizard.organisation.name.text() != "", "the assistant")
        names = ("organisation", "absender", "versand", "treffen", "kontakte")
        for number, name in enumerate(names):
            if name in ("organisation", "versand"):
                self.shot(wizard, f"assistent-{name}")
            self.review_shot(wizard, f"wizard-{number + 1}-{name}")
            if number < len(names) - 1:
                wizard.next()
                settle(self.window)
        self.close(wizard)

    def backups(self) -> None:
        self.window.maintenance.show_backups()
        dialog = child(self.window, QDialog)
        settle(self.window)
        self.shot(dialog, "sicherungen")
        self.close(dialog)

    def locked(self) -> None:
        """The message page for a database another PC has open (a lock file written here)."""
        import json

        from app.db.lock import lock_path_for

        path = HOME / "Netzwerk-Buero.db"
        Database.create(path).close()
        lock_path_for(path).write_text(
            json.dumps(
                {
                    "app": "Treffpunkt",
                    "host": "PC-BUERO-2",
                    "pid": 4242,
                    "user": "j.hoffmann",
                    "since": "2026-11-25T07:30:00+00:00",
                    "token": "t" * 32,
                }
            ),
            encoding="utf-8",
        )
        self.window.open_database(path)
        wait_until(lambda: self.window.current_page() is self.window.message_page, "the message")
        settle(self.window)
        self.shot(self.window, "gesperrt")


SHOTS = (
    "network",
    "import_contacts",
    "meetings",
    "new_meeting",
    "invite",
    "mailing",
    "attendance",
    "minutes",
    "figures",
    "settings",
    "assistant",
    "backups",
    "locked",
)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--only", nargs="*", choices=SHOTS, default=list(SHOTS))
    parser.add_argument("--review", type=Path)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.review:
        args.review.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    QGuiApplication.setApplicationDisplayName("Treffpunkt")
    i18n.set_language("de")
    apply_language("de")
    shooter = Shooter(args.out, args.review)
    failed = []
    for name in args.only:  # "locked" opens another database: keep it last
        try:
            getattr(shooter, name)()
        except Exception as error:  # one broken place must not stop the others
            failed.append(name)
            print(f"{name}: {type(error).__name__}: {error}", file=sys.stderr)
    shooter.window.shutdown()
    del app
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
