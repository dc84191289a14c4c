"""The door mode's model narrows as the user types, with the same result as a full ranking."""

from __future__ import annotations

from app.services.attendance import checkin_candidates, rank_candidates
from tests.helpers.attendance_window import Past
from ui.attendance.candidates import SHOWN, CandidateModel, narrows


def test_narrows_only_when_typing_on() -> None:
    assert narrows(["ay"], ["ays"])
    assert narrows(["ay"], ["ay", "q"])
    assert narrows(["ay", "q"], ["ay", "qb"])
    assert not narrows(["ays"], ["ay"])  # deleting widens
    assert not narrows(["ay", "q"], ["ay"])
    assert not narrows(["ay"], ["by"])
    assert not narrows([], ["a"])


def test_typing_letter_by_letter_equals_ranking_everything(past: Past) -> None:
    rows = checkin_candidates(past.db, past.meeting)
    model = CandidateModel()
    model.set_candidates(rows)
    for typed in (
        "a",
        "ay",
        "ays",
        "ay",
        "a",
        "a ",
        "a q",
        "a qb",
        "",
        "m",
        "mu",
        "mue",
        "z",
        "zo",
        "zoe o",
        "p",
        "pe",
        "pet",
    ):
        model.filter(typed)
        assert model.rows() == rank_candidates(rows, typed, limit=SHOWN), typed
