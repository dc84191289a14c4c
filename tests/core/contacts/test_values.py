"""Cell values: names, salutations, e-mail syntax, lists, languages."""

from __future__ import annotations

import unicodedata

import pytest

from app.contacts.values import (
    clean_line,
    is_valid_email,
    join_values,
    parse_language,
    parse_prefix,
    phone_key,
    split_emails,
    split_full_name,
    split_list,
    split_phones,
    strip_neutraliser,
)
from app.models import Salutation


@pytest.mark.parametrize(
    ("text", "salutation", "title", "first", "last"),
    [
        ("Dr. Ayşe Yılmaz", Salutation.NONE, "Dr.", "Ayşe", "Yılmaz"),
        ("Yılmaz, Ayşe", Salutation.NONE, "", "Ayşe", "Yılmaz"),
        ("Yılmaz, Dr. Ayşe", Salutation.NONE, "Dr.", "Ayşe", "Yılmaz"),
        ("Frau Renée Öztürk-Weiß", Salutation.FRAU, "", "Renée", "Öztürk-Weiß"),
        (
            "Herr Prof. Dr. Hans-Peter von der Heide",
            Salutation.HERR,
            "Prof. Dr.",
            "Hans-Peter",
            "von der Heide",
        ),
        ("Mrs Olga Petrova", Salutation.FRAU, "", "Olga", "Petrova"),
        ("Mr. Minh Trần", Salutation.HERR, "", "Minh", "Trần"),
        ("Nguyễn Thị Hoa", Salutation.NONE, "", "Nguyễn Thị", "Hoa"),
        ("محمد الأحمد", Salutation.NONE, "", "محمد", "الأحمد"),
        ("Madonna", Salutation.NONE, "", "", "Madonna"),
        ("Herr Müller", Salutation.HERR, "", "", "Müller"),
        ("  Ольга   Петрова ", Salutation.NONE, "", "Ольга", "Петрова"),
        ("Dr.", Salutation.NONE, "Dr.", "", ""),
        ("Frau", Salutation.FRAU, "", "", ""),
    ],
)
def test_split_full_name(
    text: str, salutation: Salutation, title: str, first: str, last: str
) -> None:
    parsed = split_full_name(text)
    assert (parsed.salutation, parsed.title, parsed.first_name, parsed.last_name) == (
        salutation,
        title,
        first,
        last,
    )


def test_split_full_name_normalises_decomposed_input_to_nfc() -> None:
    parsed = split_full_name(unicodedata.normalize("NFD", "Renée Öztürk"))
    assert parsed.first_name == "Renée"
    assert unicodedata.is_normalized("NFC", parsed.last_name)
    assert parsed.last_name == "Öztürk"


@pytest.mark.parametrize(
    ("text", "salutation", "title"),
    [
        ("Frau", Salutation.FRAU, ""),
        ("Herr", Salutation.HERR, ""),
        ("Mrs.", Salutation.FRAU, ""),
        ("Ms", Salutation.FRAU, ""),
        ("Mr.", Salutation.HERR, ""),
        ("Frau Dr.", Salutation.FRAU, "Dr."),
        ("Prof. Dr.", Salutation.NONE, "Prof. Dr."),
        ("", Salutation.NONE, ""),
    ],
)
def test_parse_prefix(text: str, salutation: Salutation, title: str) -> None:
    assert parse_prefix(text) == (salutation, title)


@pytest.mark.parametrize(
    "address",
    [
        "anna@example.org",
        "a.b-c+tag@sub.example.de",
        "ayşe@müller.de",
        "x@xn--mller-kva.de",
        "o'brien@example.ie",
    ],
)
def test_valid_email(address: str) -> None:
    assert is_valid_email(address)


@pytest.mark.parametrize(
    "address",
    [
        "",
        "anna",
        "anna@",
        "@example.org",
        "a@b",
        "a@@b.de",
        "a b@example.org",
        "a..b@example.org",
        "a.@example.org",
        "a@-x.de",
        "a@x_y.de",
        "a@example.c",
        "lukas(at)example.org",
        "a@example.org.",
        "x" * 65 + "@example.org",
    ],
)
def test_invalid_email(address: str) -> None:
    assert not is_valid_email(address)


def test_split_emails() -> None:
    assert split_emails("a@x.de ::: b@y.de") == ["a@x.de", "b@y.de"]
    assert split_emails("a@x.de; b@y.de,c@z.de") == ["a@x.de", "b@y.de", "c@z.de"]
    assert split_emails("Anna Muster <a@x.de>, b@y.de") == ["a@x.de", "b@y.de"]
    assert split_emails("mailto:a@x.de") == ["a@x.de"]
    assert split_emails("/o=ExchangeLabs/ou=Exchange Administrative Group/cn=Recipients/cn=x") == []
    assert split_emails("   ") == []


def test_split_lists_and_phones() -> None:
    assert split_list("* myContacts ::: Impuls.Ag ::: Sport", drop_system_groups=True) == [
        "Impuls.Ag",
        "Sport",
    ]
    assert split_list("Impuls.Ag;Sport, Eltern") == ["Impuls.Ag", "Sport", "Eltern"]
    assert split_list("Eltern, Kinder ::: Sport") == ["Eltern, Kinder", "Sport"]
    assert split_phones("+49 30 1234 ::: 0171 555") == ["+49 30 1234", "0171 555"]
    assert split_phones("030 1234; 030 5678") == ["030 1234", "030 5678"]
    assert split_phones("030 / 123456") == ["030 / 123456"]
    assert split_phones("'+49 30 1234") == ["+49 30 1234"]
    assert split_phones("-") == []
    assert phone_key("+49 (30) 1234-5") == phone_key("+4930 12345") == "+493012345"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("de", "de"),
        ("de-DE", "de"),
        ("Deutsch", "de"),
        ("German", "de"),
        ("Russian", "ru"),
        ("Türkisch", "tr"),
        ("Türkçe", "tr"),
        ("العربية", "ar"),
        ("Tiếng Việt", "vi"),
        ("", None),
        ("Klingonisch-ish", None),
    ],
)
def test_parse_language(text: str, code: str | None) -> None:
    assert parse_language(text) == code


@pytest.mark.parametrize(
    "values",
    [["Impuls.Ag"], ["Impuls.Ag", "Sport"], ["Sport, Spiel & Spaß"], ["A; B", "C"], []],
)
def test_join_values_splits_back(values: list[str]) -> None:
    assert split_list(join_values(values)) == values


def test_neutraliser_and_clean_line() -> None:
    assert strip_neutraliser("'=SUM(A1)") == "=SUM(A1)"
    assert strip_neutraliser("'+49 30 1") == "+49 30 1"
    assert strip_neutraliser("O'Brien") == "O'Brien"
    assert strip_neutraliser("'quoted'") == "'quoted'"
    assert clean_line(" Anna\t\x07Maria\n Muster ") == "Anna Maria Muster"
