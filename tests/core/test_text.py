from __future__ import annotations

import pytest

from app.text import fold, nfc, sort_key


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("muller", "Müller"),
        ("ayse", "Ayşe"),
        ("yilmaz", "Yılmaz"),
        ("lukasz", "Łukasz"),
        ("nguyen", "Nguyễn"),
        ("strasse", "Straße"),
        ("OZTURK", "Öztürk-Weiß"),
        ("renee", "Renée"),
    ],
)
def test_fold_finds_names_without_accents_or_case(typed: str, stored: str) -> None:
    assert fold(typed) in fold(stored)


def test_german_sorting_puts_umlauts_with_their_base_letter() -> None:
    names = ["Zander", "Ährenfeld", "Abel", "Öztürk", "Ostermann", "Ünal", "Uhl"]
    ordered = sorted(names, key=sort_key)
    assert ordered == ["Abel", "Ährenfeld", "Ostermann", "Öztürk", "Uhl", "Ünal", "Zander"]


def test_nfc_composes_and_strips() -> None:
    assert nfc("  Nguye\u0302\u0303n ") == "Nguyễn"
    assert nfc(None) == ""


def test_fold_keeps_other_scripts_searchable() -> None:
    assert fold("Олена Коваленко") == "олена коваленко"
    assert fold("سلمى") != ""
