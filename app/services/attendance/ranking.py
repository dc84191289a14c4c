"""Finding an arriving person in two or three keystrokes: a pure, in-memory ranking.

The door mode loads ``checkin_candidates`` once and calls ``rank_candidates`` on every
keystroke, so this module touches no database and does only string tests: each row carries
its folded words in index strings (" yilmaz ayse"), where a word prefix is one substring
search (" " + query word), done in C.

Ranking of a query word against a row, best first:

0. a word of the last name starts with it ("yil" → Yılmaz, "weiss" → Öztürk-Weiß)
1. a word of the first name starts with it ("ay" → Ayşe)
2. it occurs anywhere in the name ("ilma")
3. a word of organisation, function or e-mail starts with it ("quartier")
4. it occurs anywhere in those ("buero")

Every word of the query must match; a row's score is the sum over the words. Ties keep the
order of the candidates (invitees and people already recorded first, then alphabetical).
Case, accents and special letters are ignored (``app.text.fold``: "mul" finds Müller,
"lukasz" finds Łukasz); umlauts may also be typed spelled out ("muel" finds Müller).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from app.services.attendance.rows import CheckinRow
from app.text import fold

_WORD_BREAK = re.compile(r"[^\w]+")
# German keyboards aside, people type "Mueller" for "Müller": index that spelling too.
_SPELLED_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
NO_MATCH = 99


def word_index(*texts: str, fold_text: Callable[[str], str] = fold) -> str:
    """Folded words of *texts*, each preceded by a space: whole tokens ("ozturk-weiss"),
    their parts ("ozturk", "weiss") and umlauts spelled out ("oeztuerk"), so "ozturk-w",
    "weiss" and "oez" all find a prefix. *fold_text*: a cached ``fold`` for bulk use."""
    words: list[str] = []
    spelled = [t.translate(_SPELLED_OUT) for t in texts if t.translate(_SPELLED_OUT) != t]
    for text in [*texts, *spelled]:
        for token in fold_text(text).split():
            words.append(token)
            parts = [part for part in _WORD_BREAK.split(token) if part]
            if len(parts) > 1 or (parts and parts[0] != token):
                words.extend(parts)
    return "".join(" " + word for word in dict.fromkeys(words))


def query_words(query: str) -> list[str]:
    return fold(query).split()


def word_score(row: CheckinRow, word: str) -> int:
    """0 (best) … 4 for one folded query word, ``NO_MATCH`` when it does not occur."""
    prefix = " " + word
    if prefix in row.last_index:
        return 0
    if prefix in row.first_index:
        return 1
    if word in row.name_key:
        return 2
    if prefix in row.other_index:
        return 3
    if word in row.search_key:
        return 4
    return NO_MATCH


def rank_candidates(
    rows: Sequence[CheckinRow], query: str, *, limit: int | None = None
) -> list[CheckinRow]:
    """The rows matching *query*, best first (see the module docstring).

    An empty query returns all rows in their given order. *limit* cuts the result (the door
    mode shows a screenful); ranking 10,000 rows takes a few milliseconds.
    """
    words = query_words(query)
    if not words:
        return list(rows[:limit] if limit is not None else rows)
    scored: list[tuple[int, int, CheckinRow]] = []
    for position, row in enumerate(rows):
        total = 0
        for word in words:
            score = word_score(row, word)
            if score == NO_MATCH:
                break
            total += score
        else:
            scored.append((total, position, row))
    scored.sort(key=lambda item: (item[0], item[1]))
    result = [row for _score, _position, row in scored]
    return result[:limit] if limit is not None else result


def best_match(rows: Iterable[CheckinRow], query: str) -> CheckinRow | None:
    """The row Enter would check in: the first of the ranking, if any."""
    ranked = rank_candidates(list(rows), query, limit=1)
    return ranked[0] if ranked else None
