"""Addresses and message building: strict addresses, no header injection, parseable parts."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage

import pytest

from app.addresses import normalise_address, safe_filename, single_line
from app.mail.compose import (
    Attachment,
    MailDraft,
    Sender,
    build_message,
    message_bytes,
    new_message_id,
)
from app.mail.errors import InvalidAddressError

SENDER = Sender(
    "Quartiersmanagement Impuls.Ag", "quartier@impuls-ag.example", "antwort@impuls-ag.example"
)
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 4 + b"\n%%EOF\n"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("anna@example.de", "anna@example.de"),
        (
            "  anna.schmidt+netz@Quartier-Lehmheide.EXAMPLE ",
            "anna.schmidt+netz@quartier-lehmheide.example",
        ),
        ("o'brien@example.org", "o'brien@example.org"),
        ("info@bücherei-stahldorf.de", "info@xn--bcherei-stahldorf-22b.de"),
    ],
)
def test_valid_addresses(raw: str, expected: str) -> None:
    assert normalise_address(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "anna",
        "anna@",
        "@example.de",
        "anna@example",
        "anna@@example.de",
        "anna@example.de\r\nBcc: evil@x.example",
        "anna@example.de\nBcc: evil@x.example",
        "anna@example.de, evil@x.example",
        "anna@example.de; evil@x.example",
        "Anna <anna@example.de>",
        "anna@example.de <evil@x.example>",
        "an na@example.de",
        '"anna"@example.de',
        "anna@exa_mple.de",
        "anna..schmidt@example.de",
        "ännä@example.de",
        "anna@example.de\x00",
        "anna@-example.de",
        "x" * 65 + "@example.de",
    ],
)
def test_invalid_addresses_are_refused(raw: str) -> None:
    with pytest.raises(InvalidAddressError) as info:
        normalise_address(raw)
    # The message shows control characters escaped: it is one line for a terminal or a box.
    assert "\n" not in str(info.value)
    assert "\r" not in str(info.value)


def test_single_line_and_file_names() -> None:
    assert single_line(" Einladung\r\nBcc: x@y.de\t\u2028ok ") == "Einladung Bcc: x@y.de ok"
    assert safe_filename('Protokoll: 1/2 "TOP" <neu>?.pdf') == "Protokoll_ 1_2 _TOP_ _neu__.pdf"
    assert safe_filename("CON.pdf") == "_CON.pdf"
    assert safe_filename("..\\..\\evil.eml") == "_.._evil.eml"
    assert safe_filename("") == "file"


@pytest.mark.parametrize(
    "name",
    [
        "con .eml",
        "CON. .pdf",
        "conin$",
        "CONOUT$.txt",
        "lpt¹",
        "COM².pdf",
        "com0.eml",
        "nul.tar.gz",
        "Aux ",
        "prn...",
        "clock$.ics",
    ],
)
def test_windows_device_names_never_pass(name: str) -> None:
    from app.addresses import is_reserved_name

    cleaned = safe_filename(name)
    assert not is_reserved_name(cleaned), cleaned
    assert cleaned.startswith("_")
    assert not cleaned.endswith((" ", "."))


def test_ordinary_names_and_bidi_controls() -> None:
    assert safe_filename("Console.pdf") == "Console.pdf"  # only the whole base name counts
    assert safe_filename("Protokoll 12.03.2026.pdf") == "Protokoll 12.03.2026.pdf"
    assert safe_filename("rechnung\u202efdp.exe") == "rechnungfdp.exe"
    assert safe_filename("Name. . .") == "Name"


def draft(**changes: object) -> MailDraft:
    values: dict[str, object] = {
        "recipient": "a.yilmaz@quartier-lehmheide.example",
        "recipient_name": "Ayşe Yılmaz",
        "subject": "Einladung: Auftakt-Netzwerktreffen",
        "body": "Sehr geehrte Frau Yılmaz,\n\n.\nEine Zeile mit Punkt.\n",
        "message_id": new_message_id(SENDER.address),
        "attachments": (
            Attachment("Einladung.pdf", "application/pdf", PDF),
            Attachment(
                "invite.ics",
                "text/calendar; method=REQUEST",
                b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
            ),
        ),
    }
    values.update(changes)
    return MailDraft(**values)  # type: ignore[arg-type]


def reparse(message: EmailMessage) -> EmailMessage:
    return email.message_from_bytes(message_bytes(message), policy=email.policy.default)  # type: ignore[return-value]


def test_message_structure() -> None:
    message = reparse(build_message(draft(), SENDER))
    assert message["From"].addresses[0].addr_spec == "quartier@impuls-ag.example"
    assert message["From"].addresses[0].display_name == "Quartiersmanagement Impuls.Ag"
    assert [a.addr_spec for a in message["To"].addresses] == ["a.yilmaz@quartier-lehmheide.example"]
    assert message["To"].addresses[0].display_name == "Ayşe Yılmaz"
    assert message["Reply-To"].addresses[0].addr_spec == "antwort@impuls-ag.example"
    assert message["Subject"] == "Einladung: Auftakt-Netzwerktreffen"
    assert message["Message-ID"].endswith("@impuls-ag.example>")
    assert message["Date"] is not None
    assert message["X-Unsent"] is None
    assert message["Cc"] is None
    assert message["Bcc"] is None
    body = message.get_body(("plain",))
    assert body is not None
    assert (
        body.get_content().replace("\r\n", "\n")
        == "Sehr geehrte Frau Yılmaz,\n\n.\nEine Zeile mit Punkt.\n"
    )
    assert body.get_content_charset() == "utf-8"
    parts = list(message.iter_attachments())
    assert [p.get_filename() for p in parts] == ["Einladung.pdf", "invite.ics"]
    assert parts[0].get_content_type() == "application/pdf"
    assert parts[0].get_content() == PDF
    assert parts[1].get_content_type() == "text/calendar"
    assert parts[1].get_param("method") == "REQUEST"
    assert parts[1].get_param("charset") == "utf-8"
    # 7-bit clean: no SMTP extension needed.
    assert all(byte < 128 for byte in message_bytes(build_message(draft(), SENDER)))


def header_names(raw: bytes) -> list[str]:
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    return [line.split(":", 1)[0] for line in head.split("\r\n") if line and not line[0].isspace()]


def test_header_injection_through_names_and_subject_is_harmless() -> None:
    evil = "x\r\nBcc: evil@x.example\r\nX-Injected: 1"
    message = build_message(
        draft(recipient_name=f"Ayşe{evil}", subject=f"Einladung{evil}"),
        Sender(f"Quartier{evil}", "quartier@impuls-ag.example", ""),
    )
    raw = message_bytes(message)
    names = header_names(raw)
    assert "Bcc" not in names
    assert "X-Injected" not in names
    assert sorted(names) == sorted(
        ["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type"]
    )
    parsed = reparse(message)
    assert [a.addr_spec for a in parsed["To"].addresses] == ["a.yilmaz@quartier-lehmheide.example"]
    assert parsed["Subject"] == "Einladungx Bcc: evil@x.example X-Injected: 1"
    assert "\n" not in parsed["To"].addresses[0].display_name


@pytest.mark.parametrize(
    "recipient",
    ["a@example.de\r\nBcc: evil@x.example", "a@example.de, evil@x.example", "Anna <a@example.de>"],
)
def test_header_injection_through_addresses_is_refused(recipient: str) -> None:
    with pytest.raises(InvalidAddressError):
        build_message(draft(recipient=recipient), SENDER)
    with pytest.raises(InvalidAddressError):
        build_message(draft(), Sender("Q", recipient))


def test_draft_header_and_attachment_names() -> None:
    message = reparse(
        build_message(
            draft(attachments=(Attachment("../Protokoll\r\nX: 1.pdf", "application/pdf", PDF),)),
            SENDER,
            unsent_draft=True,
        )
    )
    assert message["X-Unsent"] == "1"
    assert [p.get_filename() for p in message.iter_attachments()] == ["_Protokoll X_ 1.pdf"]


def test_message_ids_are_unique_and_in_the_sender_domain() -> None:
    ids = {new_message_id("quartier@impuls-ag.example") for _ in range(200)}
    assert len(ids) == 200
    assert all(i.startswith("<") and i.endswith("@impuls-ag.example>") for i in ids)


@pytest.mark.parametrize("length", range(60, 100, 3))
def test_subjects_of_any_length_read_back_exactly(length: int) -> None:
    subject = (
        "Cancelled: Auftakt-Netzwerktreffen der Impuls.Ag on Thursday, 3 December 2026 " * 2
    )[:length].strip()
    raw = message_bytes(build_message(draft(subject=subject), SENDER))
    assert email.message_from_bytes(raw, policy=email.policy.default)["Subject"] == subject
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert all(len(line) <= 998 for line in head.split(b"\r\n"))
