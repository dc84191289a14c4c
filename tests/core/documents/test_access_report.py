"""The Art. 15 report (Auskunft) read back: plain words, the a–h answers, consistent statements."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from app import i18n
from app.db import Database
from app.documents.access_report import language_name, render_person_report, report_language
from app.i18n import _
from app.models import (
    AddressKind,
    Invitation,
    InvitationState,
    Meeting,
    OutboxKind,
    OutboxMessage,
    OutboxState,
    Person,
    PersonEmail,
)
from app.services.directory import list_people
from app.services.letterhead import Letterhead, save_letterhead
from app.services.privacy import export_person
from app.services.retention import set_retention_months
from tests.helpers.documents import page_texts


def report_text(db: Database, person_id: int) -> str:
    return " ".join(page_texts(render_person_report(export_person(db, person_id))))


@pytest.fixture
def demo_report(demo_network: Database) -> tuple[dict[str, object], str]:
    person = next(row.id for row in list_people(demo_network) if row.last_name == "Al-Khatib")
    export = export_person(demo_network, person)
    return export, " ".join(page_texts(render_person_report(export)))


def test_no_internal_names_codes_or_numbers(demo_report: tuple[dict[str, object], str]) -> None:
    export, text = demo_report
    assert export["mentioned_in"]  # the demo person is mentioned in another person's notes
    assert "people." not in text
    assert "_id" not in text
    assert re.search(r"#\d", text) is None
    assert ".notes" not in text
    assert "value_json" not in text
    assert _("Notes about another person") in text
    person = export["person"]
    assert isinstance(person, dict)
    assert f"Nr. {person['id']})" not in text  # the record number is nobody's business


def test_language_is_named_not_coded(demo_report: tuple[dict[str, object], str]) -> None:
    _export, text = demo_report
    assert language_name("de") in text
    assert language_name("de") != "de"
    assert f"{_('Preferred language')} de " not in text + " "


def test_controller_purposes_and_rights_a_to_h(
    demo_report: tuple[dict[str, object], str],
) -> None:
    _export, text = demo_report
    assert "Stadt Krefeld – Soziales Quartiersmanagement" in text  # from the letterhead
    assert "Von-der-Leyen-Platz 1" in text
    for heading in (
        _("a) Purposes"),
        _("b) Categories of data"),
        _("c) Recipients"),
        _("d) How long"),
        _("e) Your rights"),
        _("f) Complaints"),
        _("g) Where the data comes from"),
        _("h) Automated decisions"),
    ):
        assert heading in text, heading
    assert "Art. 77" in text  # where to complain


def test_sent_invitations_never_contradict_the_e_mail_section(
    demo_report: tuple[dict[str, object], str],
) -> None:
    export, text = demo_report
    invitations = export["invitations"]
    assert isinstance(invitations, list)
    assert any(i["sent_at"] for i in invitations)
    assert not export["emails_sent"]
    # Not "E-mails to the person: none" next to invitations listed as sent.
    assert _("Stored copies of e-mails to you") in text
    assert (
        " ".join(
            _(
                "No copies of e-mails to you are stored. When invitations were sent to you "
                "is listed above under “Invitations”."
            ).split()
        )
        in text
    )


def test_retention_from_the_settings_and_own_address(db: Database) -> None:
    save_letterhead(db, Letterhead("Quartiersmanagement Lehmheide", ("Lehmheider Str. 3",)))
    set_retention_months(db, 36)
    with db.write() as session:
        person = Person(
            first_name="Gisela",
            last_name="Breuer",
            street="Dionysiusstraße 14",
            postcode="47798",
            city="Krefeld",
            address_kind=AddressKind.PRIVATE,
            preferred_language="tr",
            emails=[PersonEmail(address="g.breuer@example.org", is_preferred=True)],
        )
        meeting = Meeting(title="Netzwerktreffen", start=datetime(2026, 3, 4, 16, tzinfo=UTC))
        session.add_all([person, meeting])
        session.flush()
        session.add(
            Invitation(
                meeting=meeting,
                person=person,
                state=InvitationState.ACCEPTED,
                sent_at=datetime(2026, 2, 1, 9, tzinfo=UTC),
                answered_at=datetime(2026, 2, 3, 9, tzinfo=UTC),
            )
        )
        session.add(
            OutboxMessage(
                kind=OutboxKind.INVITATION,
                meeting_id=meeting.id,
                person_id=person.id,
                recipient="g.breuer@example.org",
                subject="Einladung: Netzwerktreffen",
                body="…",
                message_id="<x@example.org>",
                state=OutboxState.SENT,
                sent_at=datetime(2026, 2, 1, 9, tzinfo=UTC),
            )
        )
        session.flush()
        person_id = person.id
    text = report_text(db, person_id)
    # Turkish has no catalogue: the report is in the fallback language, English.
    assert report_language(export_person(db, person_id)) == "en"
    with i18n.language("en"):
        assert "36" in text
        assert "Dionysiusstraße 14, 47798 Krefeld (" + _("private") + ")" in text
        assert language_name("tr") in text  # "Turkish", not "tr"
        assert "Einladung: Netzwerktreffen" in text  # the stored copy is listed
        assert _("No copies of e-mails to you are stored.") not in text
    assert "Quartiersmanagement Lehmheide" in text


def test_without_a_letterhead_the_controller_is_described_not_left_out(db: Database) -> None:
    with db.write() as session:
        person = Person(first_name="Ana", last_name="Lima")
        session.add(person)
        session.flush()
        person_id = person.id
    text = report_text(db, person_id)
    assert _("Who is responsible for your data") in text
    assert "Treffpunkt" in text  # says where the name is still missing
