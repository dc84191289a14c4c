"""Finding the arriving person in two or three keystrokes (pure, in memory)."""

from __future__ import annotations

import random
from dataclasses import replace

from app.db import Database
from app.services.attendance import CheckinRow, best_match, checkin_candidates, rank_candidates
from app.services.attendance.ranking import NO_MATCH, word_index, word_score
from app.text import fold, sort_key
from tests.helpers.attendance import Setup


def row(
    first: str,
    last: str,
    organisation: str = "",
    *,
    key: str = "",
    function: str = "",
    email: str = "",
) -> CheckinRow:
    name = f"{first} {last}".strip()
    return CheckinRow(
        key=key or f"person:{first}{last}",
        person_id=None,
        attendance_id=None,
        name=name,
        organisation=organisation,
        function=function,
        email=email,
        invitation_state=None,
        status=None,
        checked_in_at=None,
        photo_consent=None,
        photo_consent_on_file=None,
        guest=False,
        sort_key=sort_key(last, first),
        search_key=fold(" ".join([name, organisation, function, email])),
        name_key=fold(name),
        last_index=word_index(last),
        first_index=word_index(first),
        other_index=word_index(organisation, function, email),
    )


PEOPLE = [
    row("Şükrü", "Kaya", "Quartiersbüro Gatherhof"),
    row("Lea", "Brandt", "Bayer SC05"),
    row("Ayşe", "Yılmaz", "Quartiersbüro Lehmheide"),
    row("Jan", "Müller", "SV Gatherhof"),
    row("Renée", "Öztürk-Weiß", "Ladenlokal Stahldorf"),
    row("Hanna", "Mulder", "VHS"),
    row("Samuel", "Amsel", "Kulturverein Mullheim"),
    row("Łukasz", "Wróbel", "Quartiersbüro Bleichpfad"),
    row("Anke", "de Vries", "Museumscafé K+"),
]


def names(rows: list[CheckinRow]) -> list[str]:
    return [r.name for r in rows]


def test_ay_finds_ayse_first() -> None:
    ranked = rank_candidates(PEOPLE, "ay")
    assert ranked[0].name == "Ayşe Yılmaz"
    # Kaya (inside the name) and Bayer (inside the organisation) come later.
    assert names(ranked)[1:] == ["Şükrü Kaya", "Lea Brandt"]


def test_mul_finds_mueller_before_substrings() -> None:
    ranked = rank_candidates(PEOPLE, "mul")
    # Last-name prefixes first (in the given order), the organisation "Mullheim" last.
    assert names(ranked) == ["Jan Müller", "Hanna Mulder", "Samuel Amsel"]
    assert rank_candidates(PEOPLE, "MÜL")[0].name == "Jan Müller"
    # Umlauts typed spelled out find the name first; "Samuel" only contains "muel".
    assert names(rank_candidates(PEOPLE, "muel")) == ["Jan Müller", "Samuel Amsel"]
    assert rank_candidates(PEOPLE, "oezt")[0].name == "Renée Öztürk-Weiß"


def test_last_name_prefix_beats_first_name_prefix() -> None:
    people = [row("Kai", "Berg"), row("Ben", "Kaiser")]
    assert names(rank_candidates(people, "kai")) == ["Ben Kaiser", "Kai Berg"]


def test_special_letters_and_name_parts() -> None:
    assert rank_candidates(PEOPLE, "lukasz")[0].name == "Łukasz Wróbel"
    assert rank_candidates(PEOPLE, "weiss")[0].name == "Renée Öztürk-Weiß"
    assert rank_candidates(PEOPLE, "ozturk-w")[0].name == "Renée Öztürk-Weiß"
    assert rank_candidates(PEOPLE, "vries")[0].name == "Anke de Vries"
    assert rank_candidates(PEOPLE, "renee")[0].name == "Renée Öztürk-Weiß"


def test_several_words_must_all_match() -> None:
    assert names(rank_candidates(PEOPLE, "ay yil")) == ["Ayşe Yılmaz"]
    assert names(rank_candidates(PEOPLE, "gatherhof jan")) == ["Jan Müller"]
    assert rank_candidates(PEOPLE, "ay zzz") == []


def test_empty_query_keeps_the_order_and_limit_cuts() -> None:
    assert rank_candidates(PEOPLE, "  ") == PEOPLE
    assert rank_candidates(PEOPLE, "", limit=2) == PEOPLE[:2]
    assert len(rank_candidates(PEOPLE, "a", limit=3)) == 3


def test_ties_keep_the_candidate_order() -> None:
    first, second = row("Jan", "Meyer", key="a"), row("Jana", "Meyer", key="b")
    assert rank_candidates([first, second], "mey") == [first, second]
    assert rank_candidates([second, first], "mey") == [second, first]


def test_word_score_levels() -> None:
    ayse = PEOPLE[2]
    assert word_score(ayse, "yil") == 0
    assert word_score(ayse, "ay") == 1
    assert word_score(ayse, "ilma") == 2
    assert word_score(ayse, "lehm") == 3
    assert word_score(ayse, "heide") == 4
    assert word_score(ayse, "xyz") == NO_MATCH


def test_best_match() -> None:
    assert best_match(PEOPLE, "bra") == PEOPLE[1]
    assert best_match(PEOPLE, "qqq") is None


def test_ranking_ten_thousand_rows() -> None:
    """10,000 rows: the right person on top after three keystrokes (no timing assert; the
    benchmark numbers are in the report)."""
    generator = random.Random(5)
    syllables = ["ka", "ri", "mo", "len", "sch", "ber", "tur", "ana", "el", "gu", "sto", "wi"]

    def word() -> str:
        return "".join(generator.choice(syllables) for _ in range(3)).capitalize()

    rows = [row(word(), word(), f"Verein {word()}", key=str(i)) for i in range(10_000)]
    target = replace(row("Ayşe", "Yılmaz", "Quartiersbüro"), key="target")
    rows.insert(7_777, target)
    for query in ("yıl", "yil", "ayşe y"):
        assert rank_candidates(rows, query)[0] is target
    assert len(rank_candidates(rows, "ka")) > 1_000


def test_demo_like_candidates(db: Database, setup: Setup) -> None:
    rows = checkin_candidates(db, setup.meeting)
    assert rank_candidates(rows, "ay")[0].person_id == setup.anna  # Ayhan: last-name prefix
    assert rank_candidates(rows, "ays")[0].person_id == setup.ayse
    assert rank_candidates(rows, "mul")[0].person_id == setup.jan
    assert rank_candidates(rows, "sozial")[0].person_id == setup.anna  # function
    assert rank_candidates(rows, "jan.mueller")[0].person_id == setup.jan  # e-mail
