"""The PDFs travel with the mailings: invitation PDF on invitations, updates and reminders (not
on cancellations), minutes PDF on minutes; rendered once per language of a mailing, in the
recipient's language. Checked in the .eml drafts and against a real local SMTP server
(aiosmtpd)."""

from __future__ import annotations

import email
import email.policy
import importlib
import json
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from app.cli import main
from app.db import Database
from app.documents import invitation as invitation_module
from app.documents import minutes as minutes_module
from app.i18n import _
from app.models import Attendance, AttendanceStatus, Meeting, MeetingState
from app.services.letterhead import Letterhead, save_letterhead
from tests.helpers.documents import page_texts
from tests.helpers.mail import Network, SmtpServer, make_network, start_server

mail_commands = importlib.import_module("app.cli.mail_commands")


@pytest.fixture
def network(db: Database) -> Network:
    network = make_network(db)
    save_letterhead(db, Letterhead("Quartiersmanagement Impuls.Ag", ("Von-der-Leyen-Platz 1",)))
    return network


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = start_server()
    yield server
    server.controller.stop()


@pytest.fixture
def render_counts(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    counts = {"invitation": 0, "minutes": 0}

    def counting(module: Any, name: str, key: str) -> None:
        original: Callable[..., bytes] = getattr(module, name)

        def wrapper(*args: Any, **kwargs: Any) -> bytes:
            counts[key] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    counting(invitation_module, "render_invitation", "invitation")
    counting(minutes_module, "render_minutes", "minutes")
    return counts


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def read_eml(folder: Path) -> list[EmailMessage]:
    messages = []
    for path in sorted(folder.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        messages.append(message)
    return messages


def attachments(message: EmailMessage) -> dict[str, tuple[str, bytes]]:
    found = {}
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        found[str(part.get_filename())] = (part.get_content_type(), payload)
    return found


def the_pdf(message: EmailMessage) -> tuple[str, bytes]:
    pdfs = [
        (name, data)
        for name, (kind, data) in attachments(message).items()
        if kind == "application/pdf"
    ]
    assert len(pdfs) == 1
    return pdfs[0]


def test_invitation_drafts_carry_the_pdf_and_the_ics(
    capsys: pytest.CaptureFixture[str],
    db_arg: str,
    network: Network,
    tmp_path: Path,
    render_counts: dict[str, int],
) -> None:
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    code, _out, err = run(
        capsys,
        "--db",
        db_arg,
        "mail",
        "invitations",
        str(network.meeting_id),
        "--eml-dir",
        str(drafts),
    )
    assert (code, err) == (0, "")
    messages = read_eml(drafts)
    assert len(messages) == 4  # the network's four reachable invitees
    # Once per language: three German readers and one English (Sarah Connolly).
    assert render_counts == {"invitation": 2, "minutes": 0}
    datas: dict[str, set[bytes]] = {"de": set(), "en": set()}
    for message in messages:
        files = attachments(message)
        english = message["To"].addresses[0].addr_spec == "sarah.connolly@funder.example"
        assert ("invitation.ics" if english else "einladung.ics") in files
        name, data = the_pdf(message)
        assert name == ("Invitation" if english else "Einladung") + " 2026-12-03.pdf"
        assert data.startswith(b"%PDF")
        datas["en" if english else "de"].add(data)
    assert [len(found) for found in datas.values()] == [1, 1]  # one document per language
    assert "Agenda" in " ".join(page_texts(datas["en"].pop()))
    text = " ".join(page_texts(datas["de"].pop()))
    assert "Auftakt-Netzwerktreffen der Impuls.Ag" in text
    assert "Quartiersmanagement Impuls.Ag" in text  # the letterhead from the settings
    assert "Vorstellung der geförderten Projekte" in text
    assert "Stufenloser Zugang" in text


def test_reminders_carry_the_pdf_cancellations_do_not(
    capsys: pytest.CaptureFixture[str],
    db: Database,
    db_arg: str,
    network: Network,
    smtp_server: SmtpServer,
    render_counts: dict[str, int],
) -> None:
    relay = f"127.0.0.1:{smtp_server.port}"
    assert (
        run(
            capsys,
            "--db",
            db_arg,
            "mail",
            "invitations",
            str(network.meeting_id),
            "--smtp",
            relay,
        )[0]
        == 0
    )
    assert (
        run(
            capsys,
            "--db",
            db_arg,
            "mail",
            "reminders",
            str(network.meeting_id),
            "--smtp",
            relay,
        )[0]
        == 0
    )
    received = [
        email.message_from_bytes(m.content, policy=email.policy.default)
        for m in smtp_server.handler.messages
    ]
    assert len(received) == 8
    for message in received:
        assert isinstance(message, EmailMessage)
        assert the_pdf(message)[1].startswith(b"%PDF")
    with db.write() as session:
        session.execute(
            update(Meeting)
            .where(Meeting.id == network.meeting_id)
            .values(state=MeetingState.CANCELLED, ics_sequence=Meeting.ics_sequence + 1)
        )
    before = dict(render_counts)
    code, _out, err = run(
        capsys,
        "--db",
        db_arg,
        "mail",
        "invitations",
        str(network.meeting_id),
        "--smtp",
        relay,
    )
    assert (code, err) == (0, "")
    cancellations = [
        email.message_from_bytes(m.content, policy=email.policy.default)
        for m in smtp_server.handler.messages[8:]
    ]
    assert len(cancellations) == 4
    for message in cancellations:
        assert isinstance(message, EmailMessage)
        kinds = [kind for kind, _data in attachments(message).values()]
        assert kinds == ["text/calendar"]
    assert render_counts == before  # nothing rendered for a cancellation


def test_minutes_mail_carries_the_minutes_pdf(
    capsys: pytest.CaptureFixture[str],
    db: Database,
    db_arg: str,
    network: Network,
    smtp_server: SmtpServer,
    render_counts: dict[str, int],
) -> None:
    with db.write() as session:
        for key in ("yilmaz", "mueller", "oeztuerk"):
            session.add(
                Attendance(
                    meeting_id=network.meeting_id,
                    person_id=network.id(key),
                    status=AttendanceStatus.PRESENT,
                )
            )
        session.add(
            Attendance(
                meeting_id=network.meeting_id,
                person_id=network.id("connolly"),
                status=AttendanceStatus.EXCUSED,
            )
        )
    code, _out, err = run(
        capsys,
        "--db",
        db_arg,
        "mail",
        "minutes",
        str(network.meeting_id),
        "--smtp",
        f"127.0.0.1:{smtp_server.port}",
    )
    assert (code, err) == (0, "")
    received = smtp_server.handler.messages
    assert len(received) == 4
    assert render_counts == {"invitation": 0, "minutes": 2}  # German and English
    pdfs = set()
    for raw in received:
        message = email.message_from_bytes(raw.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        assert len(raw.rcpt_tos) == 1
        name, data = the_pdf(message)
        if raw.rcpt_tos == ["sarah.connolly@funder.example"]:
            assert name == "Minutes 2026-12-03.pdf"
            continue
        assert name == "Protokoll 2026-12-03.pdf"
        assert not any(name.endswith(".ics") for name in attachments(message))
        pdfs.add(data)
    assert len(pdfs) == 1
    text = " ".join(page_texts(pdfs.pop()))
    for name in ("Ayşe Yılmaz", "Dr. Jens Müller", "Renée Öztürk-Weiß", "Sarah Connolly"):
        assert name in text
    assert _("DRAFT") in text  # not finalised yet: the partners see it is a draft


def test_other_kinds_have_no_documents(db: Database, network: Network) -> None:
    assert mail_commands.attachments_for(db, "cancellations", network.meeting_id) is None


@pytest.mark.parametrize(
    ("kind", "modules"),
    [
        ("invitations", {"app.documents.invitation", "app.services.snapshots.invitation"}),
        ("reminders", {"app.documents.invitation", "app.services.snapshots.invitation"}),
        ("minutes", {"app.documents.minutes", "app.services.snapshots.minutes"}),
    ],
)
def test_the_renderer_of_a_mailing_loads_ahead_with_its_fonts(kind: str, modules: set[str]) -> None:
    """``load_renderer`` (the mailing dialog calls it while the preview is read) leaves the
    first PDF of a session nothing to import and no font to parse: in a fresh interpreter."""
    import subprocess
    import sys

    script = (
        "import json, sys\n"
        "from app.mail.documents import load_renderer\n"
        "from app.documents import fonts\n"
        f"load_renderer({kind!r})\n"
        "print(json.dumps(sorted(sys.modules)))\n"
        "print(json.dumps(sorted(fonts._registered)))\n"
    )
    root = Path(__file__).resolve().parents[3]
    shown = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert modules | {"reportlab.platypus"} <= set(json.loads(shown[0]))
    assert json.loads(shown[1]) == ["TreffpunktSans", "TreffpunktSans-Bold"]


def test_other_kinds_load_no_renderer() -> None:
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from app.mail.documents import load_renderer\n"
        "load_renderer('cancellations')\n"
        "print('reportlab' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parents[3]
    shown = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    assert shown.strip() == "False"
