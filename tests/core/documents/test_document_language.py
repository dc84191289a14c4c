"""Documents follow the reader's language, else the meeting's: never the window's language or
the process locale. Mails, their PDFs and calendar files are read back as they arrive."""

from __future__ import annotations

import email
import email.policy
import threading
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlalchemy import update

from app import i18n
from app.cli import main
from app.db import Database
from app.documents.access_files import access_report_stem
from app.documents.access_report import render_person_report
from app.documents.figures import render_figures_pdf
from app.documents.invitation import render_invitation
from app.i18n import _
from app.mail.documents import attachments_for
from app.mail.mailings import calendar_filename, preview_mail, queue_invitations, queue_minutes
from app.mail.outbox import send_outbox
from app.mail.transports import EmlTransport
from app.models import Attendance, AttendanceStatus, Meeting, OutboxKind
from app.services.languages import reader_language
from app.services.planning import MeetingDraft, copy_meeting, create_meeting, load_meeting_form
from app.services.privacy import export_person
from app.services.reporting import period_figures
from app.services.settings import set_setting
from app.services.snapshots.invitation import build_invitation_snapshot
from tests.core.documents.conftest import page_texts
from tests.core.mail.conftest import Network, make_network

ENGLISH_READER = "sarah.connolly@funder.example"


@pytest.fixture
def network(db: Database) -> Network:
    return make_network(db)


def drafts_of(db: Database, folder: Path) -> dict[str, EmailMessage]:
    folder.mkdir(exist_ok=True)
    assert send_outbox(db, EmlTransport(folder)).ok
    found = {}
    for path in folder.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        found[message["To"].addresses[0].addr_spec] = message
    return found


def files_of(message: EmailMessage) -> dict[str, bytes]:
    files = {}
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        files[str(part.get_filename())] = payload
    return files


def test_window_in_english_german_reader_gets_german_mail_and_attachments(
    db: Database, network: Network, tmp_path: Path
) -> None:
    i18n.set_language("en")  # the user works in English
    queue_invitations(
        db,
        network.meeting_id,
        attachments_for=attachments_for(db, "invitations", network.meeting_id),
    )
    messages = drafts_of(db, tmp_path / "drafts")

    german = messages["a.yilmaz@quartier-lehmheide.example"]
    assert german["Subject"].startswith("Einladung: ")
    body = german.get_body(("plain",))
    assert body is not None
    assert body.get_content().startswith("Sehr geehrte Frau Yılmaz,")
    files = files_of(german)
    assert set(files) == {"Einladung 2026-12-03.pdf", "einladung.ics"}
    text = " ".join(page_texts(files["Einladung 2026-12-03.pdf"]))
    assert "Einladung" in text
    assert "Seite 1 von" in text
    assert "Donnerstag, 3. Dezember 2026" in text  # dates in the reader's language too
    assert "Tagesordnung" in text
    assert "Page 1 of" not in text
    assert "Invitation" not in text
    description = str(Calendar.from_ical(files["einladung.ics"]).events[0]["DESCRIPTION"])
    assert description.startswith("Wir starten das Netzwerk.\n\nTagesordnung:\nTOP 1  15:00")
    assert "Bitte geben Sie uns bis Donnerstag, 26. November 2026 Bescheid" in description

    english = messages[ENGLISH_READER]
    assert english["Subject"].startswith("Invitation: ")
    files = files_of(english)
    assert set(files) == {"Invitation 2026-12-03.pdf", "invitation.ics"}
    text = " ".join(page_texts(files["Invitation 2026-12-03.pdf"]))
    assert "Page 1 of" in text
    assert "Thursday, 3 December 2026" in text
    assert "Seite" not in text
    description = str(Calendar.from_ical(files["invitation.ics"]).events[0]["DESCRIPTION"])
    assert "Agenda:\nItem 1  15:00" in description
    assert i18n.current_language() == "en"  # the window's language is untouched


def test_window_in_german_english_reader_still_gets_english(
    db: Database, network: Network, tmp_path: Path
) -> None:
    queue_invitations(
        db,
        network.meeting_id,
        attachments_for=attachments_for(db, "invitations", network.meeting_id),
    )
    english = drafts_of(db, tmp_path / "drafts")[ENGLISH_READER]
    body = english.get_body(("plain",))
    assert body is not None
    assert body.get_content().startswith("Dear Ms Connolly,")
    text = " ".join(page_texts(files_of(english)["Invitation 2026-12-03.pdf"]))
    assert "Invitation" in text
    assert "Page 1 of" in text


def test_readers_without_a_language_get_the_meetings(
    db: Database, network: Network, tmp_path: Path
) -> None:
    with db.write() as session:
        session.execute(
            update(Meeting).where(Meeting.id == network.meeting_id).values(language="en")
        )
        session.add(
            Attendance(
                meeting_id=network.meeting_id,
                person_id=network.id("yilmaz"),
                status=AttendanceStatus.PRESENT,
            )
        )
        session.add(
            Attendance(
                meeting_id=network.meeting_id,
                guest_name="Mia Gast",
                guest_email="mia@gast.example",
                status=AttendanceStatus.PRESENT,
            )
        )
    queue_minutes(
        db,
        network.meeting_id,
        informed_only=["Amt <amt@stadt.example>"],
        attachments_for=attachments_for(db, "minutes", network.meeting_id),
    )
    messages = drafts_of(db, tmp_path / "drafts")
    # Ayşe Yılmaz prefers German: German, although the meeting is in English.
    assert set(files_of(messages["a.yilmaz@quartier-lehmheide.example"])) == {
        "Protokoll 2026-12-03.pdf"
    }
    for guest in ("mia@gast.example", "amt@stadt.example"):
        message = messages[guest]
        assert message["Subject"].startswith("Minutes: ")
        assert set(files_of(message)) == {"Minutes 2026-12-03.pdf"}


def test_a_worker_thread_rendering_german_leaves_the_window_english(
    db: Database, network: Network
) -> None:
    i18n.set_language("en")
    inside = threading.Event()
    window_checked = threading.Event()
    seen: dict[str, object] = {}

    def worker() -> None:
        with i18n.language("de"):
            inside.set()
            window_checked.wait(5)
            seen["worker"] = _("Agenda")
            seen["pdf"] = render_invitation(build_invitation_snapshot(db, network.meeting_id))

    thread = threading.Thread(target=worker)
    thread.start()
    assert inside.wait(5)
    seen["window"] = _("Agenda")  # while the worker is inside its German block
    window_checked.set()
    thread.join(5)
    assert seen["window"] == "Agenda"
    assert seen["worker"] == "Tagesordnung"
    pdf = seen["pdf"]
    assert isinstance(pdf, bytes)
    assert "Seite 1 von" in " ".join(page_texts(pdf))
    assert _("Agenda") == "Agenda"


def test_language_blocks_nest_and_restore() -> None:
    i18n.set_language("en")
    with i18n.language("de"):
        assert _("Agenda") == "Tagesordnung"
        assert i18n.format_date(date(2026, 12, 3)) == "03.12.2026"
        with i18n.language("en"):
            assert _("Agenda") == "Agenda"
        with i18n.language(None):  # "keep the current one"
            assert _("Agenda") == "Tagesordnung"
        assert i18n.window_language() == "en"
    assert i18n.current_language() == "en"
    with i18n.language("tr-TR"):  # no catalogue: the window's fallback
        assert i18n.current_language() == "en"


@pytest.mark.parametrize(
    ("preferred", "meeting", "expected"),
    [("de-AT", "en", "de"), ("", "en", "en"), (None, "de", "de"), ("tr", "de", "en")],
)
def test_reader_language(preferred: str | None, meeting: str, expected: str) -> None:
    assert reader_language(preferred, meeting) == expected


def test_cli_documents_follow_the_meeting_not_the_process_locale(
    db: Database,
    db_arg: str,
    network: Network,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LANG", "en_GB.UTF-8")  # an English system: the CLI speaks English
    for document in ("invitation", "signin", "minutes"):
        target = tmp_path / f"{document}.pdf"
        code = main(["--db", db_arg, "pdf", document, str(network.meeting_id), "-o", str(target)])
        assert code == 0
        assert capsys.readouterr().out.startswith("PDF written")  # English for the user
        text = " ".join(page_texts(target.read_bytes()))
        assert "Seite 1 von" in text, document
        assert "Page 1 of" not in text, document
    ics = tmp_path / "organiser.ics"
    assert main(["--db", db_arg, "ics", str(network.meeting_id), "-o", str(ics)]) == 0
    assert "Tagesordnung:" in str(Calendar.from_ical(ics.read_bytes()).events[0]["DESCRIPTION"])


def test_new_meetings_take_the_network_language(db: Database) -> None:
    draft = MeetingDraft(title="Treffen", start=datetime(2026, 5, 4, 18))
    assert load_meeting_form(db, create_meeting(db, draft)).draft.language == "de"
    set_setting(db, "document_language", "en")
    english = create_meeting(db, draft)
    assert load_meeting_form(db, english).draft.language == "en"
    chosen = create_meeting(db, MeetingDraft(title="T", start=draft.start, language="de"))
    assert load_meeting_form(db, chosen).draft.language == "de"
    copy = copy_meeting(db, chosen, start=datetime(2026, 6, 1, 18))
    assert load_meeting_form(db, copy).draft.language == "de"  # a copy keeps its language


def test_preview_and_calendar_names_follow_the_reader(db: Database, network: Network) -> None:
    i18n.set_language("en")
    preview = preview_mail(db, network.meeting_id, network.id("yilmaz"))
    assert (preview.language, preview.subject[:10]) == ("de", "Einladung:")
    assert calendar_filename(OutboxKind.INVITATION, "de") == "einladung.ics"
    assert calendar_filename(OutboxKind.CANCELLATION, "de") == "absage.ics"
    assert calendar_filename(OutboxKind.UPDATE, "en") == "invitation.ics"


def test_access_report_speaks_the_persons_language(db: Database, network: Network) -> None:
    i18n.set_language("en")
    german = export_person(db, network.id("yilmaz"))
    assert "Auskunft" in " ".join(page_texts(render_person_report(german)))
    assert access_report_stem("Ayşe Yılmaz", date(2026, 11, 25), "de") == (
        "Auskunft-Ayşe-Yılmaz-2026-11-25"
    )
    english = export_person(db, network.id("connolly"))
    assert "Page 1 of" in " ".join(page_texts(render_person_report(english)))
    assert access_report_stem("Sarah Connolly", date(2026, 11, 25), "en").startswith(
        "Access-request-"
    )


def test_figures_report_speaks_the_network_language(db: Database) -> None:
    i18n.set_language("en")
    figures = period_figures(db, date(2026, 1, 1), date(2026, 12, 31))
    assert figures.language == "de"
    assert "Seite 1 von" in " ".join(page_texts(render_figures_pdf(figures)))
