"""The vCard parser and writer on their own (files: see test_reading / test_importing)."""

from __future__ import annotations

import pytest

from app.contacts import vcard


def test_quoted_printable_soft_line_breaks_and_charsets() -> None:
    data = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
        b"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Y=C4=B1lmaz;Ay=C5=9Fe\r\n"
        b"NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=Windows-1252:Erste Zeile f=FCr al=\r\n"
        b"le=0D=0AZweite Zeile=3D gut\r\n"
        b"TITLE;QUOTED-PRINTABLE;CHARSET=ISO-8859-1:Gesch=E4ftsf=FChrerin\r\n"
        b"END:VCARD\r\n"
    )
    (card,) = vcard.parse_vcards(data)
    assert card.version == "2.1"
    assert vcard.components(card.first("N").value)[:2] == ["Yılmaz", "Ayşe"]  # type: ignore[union-attr]
    assert card.first("NOTE").value == "Erste Zeile für alle\r\nZweite Zeile= gut"  # type: ignore[union-attr]
    assert card.first("TITLE").value == "Geschäftsführerin"  # type: ignore[union-attr]


def test_folded_lines_escapes_groups_and_quoted_parameters() -> None:
    data = (
        "BEGIN:VCARD\nVERSION:3.0\n"
        "item1.EMAIL;type=INTERNET;type=pref:olga@example.org\n"
        'TEL;TYPE="voice,work";X-NOTE="a:b;c":+49 30 1\n'
        "NOTE:Eins\\, zwei\\; drei\\nvier \\\\ fünf und ein sehr langer Text, der gefalte\n"
        " t wurde\n"
        "CATEGORIES:Impuls.Ag,Eltern\\, Kinder\n"
        "END:VCARD\n"
    ).encode()
    (card,) = vcard.parse_vcards(data)
    email = card.first("EMAIL")
    assert email is not None
    assert email.value == "olga@example.org"
    assert email.pref == 1
    tel = card.first("TEL")
    assert tel is not None
    assert tel.types == {"voice", "work"}
    assert tel.value == "+49 30 1"
    assert tel.params["X-NOTE"] == ("a:b;c",)
    note = card.first("NOTE")
    assert note is not None
    assert vcard.unescape(note.value) == (
        "Eins, zwei; drei\nvier \\ fünf und ein sehr langer Text, der gefaltet wurde"
    )
    categories = card.first("CATEGORIES")
    assert categories is not None
    assert vcard.text_list(categories.value, "3.0") == ["Impuls.Ag", "Eltern, Kinder"]


def test_fold_inside_a_utf8_character_is_joined_before_decoding() -> None:
    line = "FN:Тарас Шевченко".encode()
    data = b"BEGIN:VCARD\r\nVERSION:4.0\r\n" + line[:8] + b"\r\n " + line[8:] + b"\r\nEND:VCARD\r\n"
    assert (line[8] & 0xC0) == 0x80  # really inside a character
    (card,) = vcard.parse_vcards(data)
    assert card.first("FN").value == "Тарас Шевченко"  # type: ignore[union-attr]
    assert vcard.detect_charset(data) == "utf-8"


def test_several_cards_and_nested_agent_card() -> None:
    data = (
        b"BEGIN:VCARD\nVERSION:2.1\nFN:Eins\nAGENT:\nBEGIN:VCARD\nVERSION:2.1\nFN:Agent\n"
        b"END:VCARD\nEMAIL:eins@example.org\nEND:VCARD\n\n"
        b"BEGIN:VCARD\nVERSION:4.0\nFN:Zwei\nEND:VCARD\n"
    )
    cards = vcard.parse_vcards(data)
    assert [c.number for c in cards] == [1, 2]
    assert [c.first("FN").value for c in cards] == ["Eins", "Zwei"]  # type: ignore[union-attr]
    assert cards[0].first("EMAIL").value == "eins@example.org"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("data", "card"),
    [
        (b"BEGIN:VCARD\nVERSION:3.0\nFN:Eins\nEND:VCARD\nBEGIN:VCARD\nFN:Zwei\n", 2),
        (b"BEGIN:VCARD\nVERSION:3.0\nFN:Eins", 1),
    ],
)
def test_truncated_file_names_the_card(data: bytes, card: int) -> None:
    with pytest.raises(vcard.VCardSyntaxError) as caught:
        vcard.parse_vcards(data)
    assert caught.value.card == card


@pytest.mark.parametrize("data", [b"", b"hello world\n", b"FN:Anna\nEND:VCARD\n"])
def test_not_a_vcard(data: bytes) -> None:
    with pytest.raises(vcard.VCardSyntaxError):
        vcard.parse_vcards(data)


def test_writer_folds_at_75_octets_without_splitting_characters() -> None:
    value = vcard.escape_text("Ünïcødé; text, with\nnew line " + "ş" * 80)
    line = vcard.content_line("NOTE", value)
    physical = line.split("\r\n")
    assert len(physical) > 2
    assert all(len(part.encode()) <= 75 for part in physical)
    assert all(part.startswith(" ") for part in physical[1:])
    card = vcard.format_card([vcard.content_line("FN", "X"), line]).encode()
    (parsed,) = vcard.parse_vcards(card)
    assert parsed.version == "4.0"
    assert vcard.unescape(parsed.first("NOTE").value) == (  # type: ignore[union-attr]
        "Ünïcødé; text, with\nnew line " + "ş" * 80
    )
