"""The letters dialog: who gets a paper invitation, who lacks an address, the PDF saved."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.i18n import _, ngettext
from app.models import Organisation
from app.services.directory import list_people
from app.services.invitations import add_invitees
from tests.helpers.documents import page_texts
from tests.helpers.planning_window import WAIT_MS, Planned
from ui.meetings.letters_dialog import LettersDialog
from ui.tasks import TaskRunner


def _invite_everyone(planned: Planned) -> None:
    with planned.db.write() as session:
        club = next(o for o in session.query(Organisation) if o.name.startswith("SV Blau-Weiß"))
        club.street, club.postcode, club.city = "Am Sportpark 1", "47800", "Krefeld"
    add_invitees(planned.db, planned.meeting_id, [row.id for row in list_people(planned.db)])


def test_letters_list_missing_addresses_and_save(
    qtbot: QtBot,
    runner: TaskRunner,
    planned: Planned,
    qtmodeltester: ModelTester,
    tmp_path: Path,
) -> None:
    _invite_everyone(planned)
    dialog = LettersDialog(runner, planned.db, planned.meeting_id, "Netzwerktreffen")
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.shown, timeout=WAIT_MS) as shown:
        dialog.show()
    assert shown.args == [2]  # consent withdrawn, and no e-mail address
    qtmodeltester.check(dialog.model)
    rows = {row.name: row for row in dialog.model.rows()}
    assert set(rows) == {"Jürgen Müller", "نور الهدى"}
    assert dialog.model.index(
        [r.name for r in dialog.model.rows()].index("Jürgen Müller"), 1
    ).data() == ("SV Blau-Weiß Stahldorf 1911 e. V., Am Sportpark 1, 47800 Krefeld")
    # Before printing: who has no usable postal address, by name.
    assert dialog.missing.isVisible()
    assert "نور الهدى" in dialog.missing.text()
    assert "Müller" not in dialog.missing.text()
    assert dialog.save_button.isEnabled()

    target = tmp_path / "briefe"
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS) as saved:
        dialog.save_to(target)
    written = Path(saved.args[0])
    assert written == tmp_path / "briefe.pdf"
    text = " ".join(page_texts(written.read_bytes()))
    assert "Sehr geehrter Herr Müller," in text
    assert "Am Sportpark 1" in text

    # Every invitee: the scope combo, as a user picks it.
    dialog.scope.setFocus()
    with qtbot.waitSignal(dialog.shown, timeout=WAIT_MS) as shown:
        qtbot.keyClick(dialog.scope, Qt.Key.Key_Down)
    assert shown.args == [8]
    assert dialog.status.text() == ngettext(
        "{n} letter to print.", "{n} letters to print.", 8
    ).format(n=8)


def test_nobody_needs_a_letter_says_so_and_offers_nothing(
    qtbot: QtBot, runner: TaskRunner, planned: Planned
) -> None:
    people = [row.id for row in list_people(planned.db) if row.preferred_email]
    add_invitees(planned.db, planned.meeting_id, people[:2])
    dialog = LettersDialog(runner, planned.db, planned.meeting_id, "Netzwerktreffen")
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.shown, timeout=WAIT_MS) as shown:
        dialog.show()
    assert shown.args == [0]
    assert not dialog.print_button.isEnabled()
    assert not dialog.save_button.isEnabled()
    assert dialog.status.text() == _(
        "Every invitee can be reached by e-mail; no letter needs to be printed."
    )
