"""Fast listings of the directory for the window: plain SQL, plain rows, no ORM.

The network page shows 100,000 people nearly as fast as a bare Qt window. These
functions run on a plain DB-API connection from ``Database.raw_read()`` (so the first page needs
no SQLAlchemy) and let the database do the work it is good at:

* ``person_ids``: the ids of everyone shown, in the order of a column (the stored German keys
  ``people.name_key``, ``organisations.name_key``, ``person_emails.address_key``; a covering
  index keeps the name order a pure index scan). Only the ids: rows are fetched as they
  scroll into view (``person_rows``), as Anki's browser does.
* ``search_keys``: one folded search text per person (name, organisation, function, e-mails,
  groups, quarters; umlauts also spelled out), for search-as-you-type in memory.

The SQL is written for SQLite (``?`` parameters, the ``+column`` index hint) and otherwise
kept to what PostgreSQL shares (``TRUE``/``FALSE`` for the boolean columns); on a server
``Database.raw_read()`` lends a connection that translates the notation
(``app.db.postgresql.ListingConnection``). ``app.services.directory.list_people`` builds its rows
here too.
"""

from __future__ import annotations

import enum
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from app.enums import AddressKind, ConsentTopic, OrganisationKind, Salutation
from app.services.directory_rows import (
    Choice,
    EditingChoices,
    OrganisationRow,
    PersonChoice,
    PersonRow,
    organisation_kind_label,
    person_display_name,
)
from app.services.postal import AddressParts, letter_address
from app.text import fold

if TYPE_CHECKING:
    from app.db import Database

# Ids per ``IN (...)`` list: well below SQLite's limit of bound parameters.
CHUNK = 500
# German keyboards aside, people type "Mueller" for "Müller": the search text has both.
_SPELLED_OUT = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
_UMLAUT = re.compile("[äöüÄÖÜ]")


class Cursor(Protocol):
    def fetchall(self) -> list[Any]: ...

    def fetchone(self) -> Any: ...


class Connection(Protocol):
    """What the listings need of a DB-API connection (``sqlite3.Connection``)."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Any: ...


class PeopleSort(enum.Enum):
    """The people list's columns that can be sorted, in the window's column order."""

    EMAIL_CONSENT = 0
    NAME = 1
    ORGANISATION = 2
    FUNCTION = 3
    EMAIL = 4
    GROUPS = 5


@dataclass(frozen=True, slots=True)
class PeopleQuery:
    """Which people, in which order: the list's state apart from the search text."""

    include_archived: bool = False
    organisation_id: int | None = None
    sort: PeopleSort = PeopleSort.NAME
    descending: bool = False


# -- ids in order ------------------------------------------------------------------------------

_LATEST_EMAIL_CONSENT = (
    "(SELECT c.given FROM consent_records c WHERE c.person_id = p.id "
    "AND c.topic = 'email_invitations' ORDER BY c.recorded_at DESC, c.id DESC LIMIT 1)"
)
_PREFERRED_EMAIL_KEY = (
    "(SELECT e.address_key FROM person_emails e WHERE e.person_id = p.id "
    "ORDER BY e.is_preferred DESC, e.position, e.id LIMIT 1)"
)
# SQL sort keys by column; the window's old in-memory keys, kept exactly: withdrawn consent
# first, people without organisation or e-mail last ("~" sorts after every address).
_SQL_SORT_KEYS: dict[PeopleSort, tuple[str, ...]] = {
    PeopleSort.NAME: (),
    PeopleSort.EMAIL_CONSENT: (
        f"CASE {_LATEST_EMAIL_CONSENT} WHEN FALSE THEN 0 WHEN TRUE THEN 2 ELSE 1 END",
    ),
    PeopleSort.ORGANISATION: ("o.id IS NULL", "o.name_key"),
    PeopleSort.EMAIL: (f"COALESCE({_PREFERRED_EMAIL_KEY}, '~')",),
}


def _where(query: PeopleQuery) -> tuple[str, list[Any]]:
    conditions: list[str] = []
    parameters: list[Any] = []
    if not query.include_archived:
        conditions.append("p.archived = FALSE")
    if query.organisation_id is not None:
        conditions.append("p.organisation_id = ?")
        parameters.append(query.organisation_id)
    return (" WHERE " + " AND ".join(conditions) if conditions else ""), parameters


def person_ids(connection: Connection, query: PeopleQuery = PeopleQuery()) -> list[int]:
    """The ids of the people *query* selects, in its order.

    Ties keep the name order (last, then first name, the German way; then the id) in both
    directions, as a stable sort of the name-ordered list would.
    """
    where, parameters = _where(query)
    keys = _SQL_SORT_KEYS.get(query.sort)
    if keys is None:  # no stored key: fold the column's text in Python
        return _ids_sorted_in_python(connection, query, where, parameters)
    direction = " DESC" if query.descending else ""
    order = [key + direction for key in keys]
    if query.sort is PeopleSort.NAME:
        order = [f"p.name_key{direction}", "p.id"]
    else:
        order += ["p.name_key", "p.id"]
    join = (
        " LEFT JOIN organisations o ON o.id = p.organisation_id"
        if query.sort is PeopleSort.ORGANISATION
        else ""
    )
    sql = f"SELECT p.id FROM people p{join}{where} ORDER BY {', '.join(order)}"
    return [row[0] for row in connection.execute(sql, parameters).fetchall()]


def _ids_sorted_in_python(
    connection: Connection, query: PeopleQuery, where: str, parameters: list[Any]
) -> list[int]:
    if query.sort is PeopleSort.FUNCTION:
        sql = f"SELECT p.id, p.function FROM people p{where} ORDER BY p.name_key, p.id"
        texts = connection.execute(sql, parameters).fetchall()
    else:  # groups: their names joined, as the column shows them
        sql = f"SELECT p.id FROM people p{where} ORDER BY p.name_key, p.id"
        ids = [row[0] for row in connection.execute(sql, parameters).fetchall()]
        groups = _groups_by_person(connection, None)
        texts = [(person_id, ", ".join(groups.get(person_id, ()))) for person_id in ids]
    folded: dict[str, str] = {}  # the same few functions and groups again and again

    def key(item: tuple[int, str]) -> str:
        text = item[1]
        value = folded.get(text)
        if value is None:
            value = folded[text] = fold(text)
        return value

    # sorted() is stable also with reverse=True: equal keys keep the name order.
    return [item[0] for item in sorted(texts, key=key, reverse=query.descending)]


def people_count(connection: Connection, *, include_archived: bool = False) -> int:
    where = "" if include_archived else " WHERE archived = FALSE"
    row = connection.execute(f"SELECT count(*) FROM people{where}").fetchone()
    return int(row[0])


# -- rows ----------------------------------------------------------------------------------------


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _in(ids: Sequence[int]) -> str:
    return "(" + ",".join("?" * len(ids)) + ")"


def _by_person(
    connection: Connection, sql: str, column: str, ids: Sequence[int] | None
) -> dict[int, list[Any]]:
    """Rows ``(person_id, value)`` of *sql* (with a ``{where}`` slot) grouped by person, in
    the statement's order; for *ids* only (*column* holds the person id), or for everyone."""
    result: dict[int, list[Any]] = defaultdict(list)
    for chunk in [None] if ids is None else list(_chunks(ids)):
        where = "" if chunk is None else f"WHERE {column} IN {_in(chunk)}"
        for person_id, value in connection.execute(sql.format(where=where), chunk or ()).fetchall():
            result[person_id].append(value)
    return result


def _groups_by_person(connection: Connection, ids: Sequence[int] | None) -> dict[int, list[str]]:
    return _by_person(
        connection,
        "SELECT pg.person_id, g.name FROM person_groups pg JOIN groups g ON g.id = pg.group_id "
        "{where} ORDER BY g.name_key, g.id",
        "pg.person_id",
        ids,
    )


def _emails_by_person(
    connection: Connection, ids: Sequence[int] | None
) -> dict[int, list[tuple[str, bool]]]:
    result: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    sql = (
        "SELECT person_id, address, is_preferred FROM person_emails {where} "
        "ORDER BY person_id, position, id"
    )
    for chunk in [None] if ids is None else list(_chunks(ids)):
        where = "" if chunk is None else f"WHERE person_id IN {_in(chunk)}"
        for person_id, address, preferred in connection.execute(
            sql.format(where=where), chunk or ()
        ).fetchall():
            result[person_id].append((address, bool(preferred)))
    return result


def _quarters_by_organisation(
    connection: Connection, organisations: Sequence[int] | None = None
) -> dict[int, list[str]]:
    """Quarter names per organisation, in German order; of *organisations* only, or of all
    (a few thousand rows: too many for the 100 people of one block of the people list)."""
    return _by_person(
        connection,
        "SELECT oq.organisation_id, q.name FROM organisation_quarters oq "
        "JOIN quarters q ON q.id = oq.quarter_id {where} ORDER BY q.name_key, q.id",
        "oq.organisation_id",
        organisations,
    )


def _consents_by_person(
    connection: Connection, ids: Sequence[int] | None
) -> dict[int, dict[ConsentTopic, bool]]:
    """The latest statement per person and topic (recording order, then id)."""
    result: dict[int, dict[ConsentTopic, bool]] = defaultdict(dict)
    sql = "SELECT person_id, topic, given FROM consent_records {where} ORDER BY recorded_at, id"
    for chunk in [None] if ids is None else list(_chunks(ids)):
        where = "" if chunk is None else f"WHERE person_id IN {_in(chunk)}"
        for person_id, topic, given in connection.execute(
            sql.format(where=where), chunk or ()
        ).fetchall():
            result[person_id][ConsentTopic(topic)] = bool(given)
    return result


_PERSON_COLUMNS = (
    "SELECT p.id, p.salutation, p.title, p.first_name, p.last_name, p.organisation_id, "
    "o.name, p.function, p.preferred_language, p.archived, p.name_key, "
    "p.street, p.postcode, p.city, p.country, p.address_kind, o.street, o.postcode, o.city "
    "FROM people p LEFT JOIN organisations o ON o.id = p.organisation_id"
)


def person_search_key(
    name: str,
    organisation: str | None,
    function: str,
    emails: Iterable[str],
    groups: Iterable[str],
    quarters: Iterable[str],
) -> str:
    """The folded text search-as-you-type looks in: "mul", "muel" and "MÜL" find Müller."""
    words = " ".join([name, organisation or "", function, *groups, *quarters])
    text = " ".join([words, *emails])
    if _UMLAUT.search(words):  # str.translate would look up every character: far slower
        text = f"{text} {_UMLAUT.sub(lambda match: _SPELLED_OUT[match.group()], words)}"
    return fold(text)


def person_rows(
    connection: Connection, ids: Sequence[int] | None = None, *, include_archived: bool = False
) -> list[PersonRow]:
    """Full rows of the people *ids* (in that order; unknown ids are left out), or of
    everyone (``include_archived`` says whether archived people count) in name order."""
    if ids is None:
        where = "" if include_archived else " WHERE p.archived = FALSE"
        people = connection.execute(
            f"{_PERSON_COLUMNS}{where} ORDER BY p.name_key, p.id"
        ).fetchall()
    else:
        found: dict[int, Any] = {}
        for chunk in _chunks(ids):
            for row in connection.execute(
                f"{_PERSON_COLUMNS} WHERE p.id IN {_in(chunk)}", chunk
            ).fetchall():
                found[row[0]] = row
        people = [found[person_id] for person_id in ids if person_id in found]
    wanted = None if ids is None else [row[0] for row in people]
    emails = _emails_by_person(connection, wanted)
    phones = _by_person(
        connection,
        "SELECT person_id, number FROM person_phones {where} ORDER BY person_id, position, id",
        "person_id",
        wanted,
    )
    groups = _groups_by_person(connection, wanted)
    quarters = _quarters_by_organisation(
        connection, None if ids is None else sorted({row[5] for row in people if row[5]})
    )
    consents = _consents_by_person(connection, wanted)
    rows: list[PersonRow] = []
    for (
        person_id,
        salutation,
        title,
        first_name,
        last_name,
        organisation_id,
        organisation,
        function,
        language,
        archived,
        name_key,
        street,
        postcode,
        city,
        country,
        address_kind,
        organisation_street,
        organisation_postcode,
        organisation_city,
    ) in people:
        person_emails = emails.get(person_id, [])
        addresses = tuple(address for address, _preferred in person_emails)
        preferred = next(
            (address for address, is_preferred in person_emails if is_preferred),
            addresses[0] if addresses else None,
        )
        name = person_display_name(title, first_name, last_name)
        person_groups = tuple(groups.get(person_id, ()))
        person_quarters = tuple(quarters.get(organisation_id, ())) if organisation_id else ()
        consent = consents.get(person_id, {})
        rows.append(
            PersonRow(
                id=person_id,
                salutation=Salutation(salutation),
                title=title,
                first_name=first_name,
                last_name=last_name,
                name=name,
                emails=addresses,
                preferred_email=preferred,
                phones=tuple(phones.get(person_id, ())),
                organisation_id=organisation_id,
                organisation=organisation,
                function=function,
                groups=person_groups,
                quarters=person_quarters,
                preferred_language=language,
                archived=bool(archived),
                contact_consent=consent.get(ConsentTopic.CONTACT_DATA),
                email_consent=consent.get(ConsentTopic.EMAIL_INVITATIONS),
                photo_consent=consent.get(ConsentTopic.PHOTOS),
                sort_key=name_key,
                search_key=person_search_key(
                    name, organisation, function, addresses, person_groups, person_quarters
                ),
                address=letter_address(
                    AddressParts.of(street, postcode, city, country),
                    address_kind == AddressKind.PRIVATE,
                    organisation or "",
                    AddressParts.of(organisation_street, organisation_postcode, organisation_city)
                    if organisation is not None
                    else None,
                ),
            )
        )
    return rows


def person_choices(connection: Connection) -> list[PersonChoice]:
    """Everyone (archived people too: a picker may have one chosen) as name and organisation,
    in German name order; one statement, for pickers of 100,000 people."""
    return [
        PersonChoice(person_id, person_display_name(title, first, last), organisation, bool(arch))
        for person_id, title, first, last, organisation, arch in connection.execute(
            "SELECT p.id, p.title, p.first_name, p.last_name, o.name, p.archived FROM people p "
            "LEFT JOIN organisations o ON o.id = p.organisation_id ORDER BY p.name_key, p.id"
        ).fetchall()
    ]


def archived_people(connection: Connection, ids: Sequence[int]) -> set[int]:
    """Which of *ids* are archived (for a context menu over thousands of selected people)."""
    result: set[int] = set()
    for chunk in _chunks(ids):
        result.update(
            row[0]
            for row in connection.execute(
                f"SELECT id FROM people WHERE archived = TRUE AND id IN {_in(chunk)}", chunk
            ).fetchall()
        )
    return result


# -- search --------------------------------------------------------------------------------------


def search_keys(
    connection: Connection, *, include_archived: bool = False, ids: Sequence[int] | None = None
) -> dict[int, str]:
    """``{person id: folded search text}`` of everyone (or of *ids*), see ``person_search_key``.

    Built from plain ints and strings: organisation, group and quarter names are read once
    and each distinct name, function or first name is folded once (100,000 people share a
    few thousand of them), so 10,000 people take a few hundredths of a second.
    """
    where = "" if include_archived or ids is not None else " WHERE archived = FALSE"
    sql = f"SELECT id, title, first_name, last_name, function, organisation_id FROM people{where}"
    if ids is None:
        people = connection.execute(sql).fetchall()
    else:
        people = []
        for chunk in _chunks(ids):
            people += connection.execute(f"{sql} WHERE id IN {_in(chunk)}", chunk).fetchall()
    wanted = None if ids is None else [row[0] for row in people]
    organisations = dict(connection.execute("SELECT id, name FROM organisations").fetchall())
    group_names = dict(connection.execute("SELECT id, name FROM groups").fetchall())
    groups = _by_person(
        connection, "SELECT person_id, group_id FROM person_groups {where}", "person_id", wanted
    )
    emails = _by_person(
        connection, "SELECT person_id, address FROM person_emails {where}", "person_id", wanted
    )
    quarters = _quarters_by_organisation(connection)
    folded: dict[str, str] = {}

    def part(text: str | None) -> str:
        """*text* folded, followed by its umlauts spelled out when it has any."""
        if not text:
            return ""
        value = folded.get(text)
        if value is None:
            value = fold(text)
            if _UMLAUT.search(text):
                spelled = fold(_UMLAUT.sub(lambda match: _SPELLED_OUT[match.group()], text))
                value = f"{value} {spelled}"
            folded[text] = value
        return value

    result: dict[int, str] = {}
    for person_id, title, first_name, last_name, function, organisation_id in people:
        parts = [part(title), part(first_name), part(last_name), part(function)]
        if organisation_id is not None:
            parts.append(part(organisations.get(organisation_id)))
            parts += [part(name) for name in quarters.get(organisation_id, ())]
        parts += [part(group_names.get(group)) for group in groups.get(person_id, ())]
        # Addresses are ASCII almost always and never repeat: folded directly.
        parts += [fold(address) for address in emails.get(person_id, ())]
        result[person_id] = " ".join(filter(None, parts))
    return result


# -- organisations and choices -------------------------------------------------------------------


def organisation_rows(
    connection: Connection, *, include_archived: bool = False
) -> list[OrganisationRow]:
    """Every organisation in German order, with its quarters and people not archived."""
    where = "" if include_archived else " WHERE o.archived = FALSE"
    # "+archived": no index on archived for this one, so SQLite counts within the covering
    # index (organisation_id, archived) instead of looking up 100,000 rows in name order.
    counts = dict(
        connection.execute(
            "SELECT organisation_id, count(*) FROM people "
            "WHERE organisation_id IS NOT NULL AND +archived = FALSE GROUP BY organisation_id"
        ).fetchall()
    )
    quarters = _quarters_by_organisation(connection)
    rows = []
    for (
        organisation_id,
        name,
        kind,
        street,
        postcode,
        city,
        website,
        email,
        phone,
        notes,
        archived,
        name_key,
    ) in connection.execute(
        "SELECT o.id, o.name, o.kind, o.street, o.postcode, o.city, o.website, o.email, "
        f"o.phone, o.notes, o.archived, o.name_key FROM organisations o{where} "
        "ORDER BY o.name_key, o.id"
    ).fetchall():
        organisation_quarters = tuple(quarters.get(organisation_id, ()))
        kind_ = OrganisationKind(kind)
        kind_label = organisation_kind_label(kind_)
        rows.append(
            OrganisationRow(
                id=organisation_id,
                name=name,
                kind=kind_,
                kind_label=kind_label,
                quarters=organisation_quarters,
                street=street,
                postcode=postcode,
                city=city,
                website=website,
                email=email,
                phone=phone,
                notes=notes,
                people_count=counts.get(organisation_id, 0),
                archived=bool(archived),
                sort_key=name_key,
                search_key=fold(" ".join([name, kind_label, city, *organisation_quarters])),
            )
        )
    return rows


def editing_choices(connection: Connection) -> EditingChoices:
    """Organisations, groups and quarters to choose from, German order, with member counts."""
    organisations = tuple(
        Choice(organisation_id, name, bool(archived))
        for organisation_id, name, archived in connection.execute(
            "SELECT id, name, archived FROM organisations ORDER BY name_key, id"
        ).fetchall()
    )

    def labels(table: str, association: str, column: str) -> tuple[Choice, ...]:
        counts = dict(
            connection.execute(
                f"SELECT {column}, count(*) FROM {association} GROUP BY {column}"
            ).fetchall()
        )
        return tuple(
            Choice(label_id, name, members=counts.get(label_id, 0))
            for label_id, name in connection.execute(
                f"SELECT id, name FROM {table} ORDER BY name_key, id"
            ).fetchall()
        )

    return EditingChoices(
        organisations,
        labels("groups", "person_groups", "group_id"),
        labels("quarters", "organisation_quarters", "quarter_id"),
    )


# -- the same as services over a database --------------------------------------------------------


def list_people_rows(db: Database, *, include_archived: bool = False) -> list[PersonRow]:
    """Everyone as full rows in German name order (``app.services.directory.list_people``)."""
    with db.raw_read() as connection:
        return person_rows(connection, include_archived=include_archived)


def list_organisation_rows(
    db: Database, *, include_archived: bool = False
) -> list[OrganisationRow]:
    with db.raw_read() as connection:
        return organisation_rows(connection, include_archived=include_archived)


def list_person_choices(db: Database) -> list[PersonChoice]:
    """``person_choices`` over a database (the pickers of the meetings page)."""
    with db.raw_read() as connection:
        return person_choices(connection)


def load_editing_choices(db: Database) -> EditingChoices:
    with db.raw_read() as connection:
        return editing_choices(connection)
