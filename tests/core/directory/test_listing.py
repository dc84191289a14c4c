"""The fast listings of the network page: plain SQL, the same rows and order as the
directory services, German order by every column, search texts that find "muel" in Müller."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.db import Database
from app.models import (
    ConsentMethod,
    ConsentRecord,
    ConsentTopic,
    Organisation,
    Person,
    PersonEmail,
    Quarter,
)
from app.services import directory_editing
from app.services.directory_listing import (
    PeopleQuery,
    PeopleSort,
    archived_people,
    editing_choices,
    organisation_rows,
    people_count,
    person_choices,
    person_ids,
    person_rows,
    person_search_key,
    search_keys,
)
from app.text import fold
from tests.helpers.directory import Directory

CONSENT_ORDER = {False: 0, None: 1, True: 2}


@pytest.fixture
def listed(directory: Directory) -> Directory:
    """The tiny directory plus what the list shows: a second e-mail, consent, an archived
    person, functions with umlauts."""
    with directory.db.write() as session:
        ayse = session.get(Person, directory.ayse)
        jurgen = session.get(Person, directory.jurgen)
        peter = session.get(Person, directory.peter)
        zoe = session.get(Person, directory.zoe)
        assert ayse is not None
        assert jurgen is not None
        assert peter is not None
        assert zoe is not None
        ayse.emails.append(PersonEmail(address="a.yilmaz@privat.example", position=1))
        jurgen.emails.append(PersonEmail(address="J.Mueller@svs.example", is_preferred=True))
        jurgen.function = "Übungsleiter"
        peter.function = "Kassenwart"
        zoe.archived = True
        session.add_all(
            [
                ConsentRecord(
                    person=jurgen,
                    topic=ConsentTopic.EMAIL_INVITATIONS,
                    given=True,
                    recorded_at=datetime(2024, 1, 1, tzinfo=UTC),
                    method=ConsentMethod.FORM,
                ),
                ConsentRecord(
                    person=jurgen,
                    topic=ConsentTopic.EMAIL_INVITATIONS,
                    given=False,
                    recorded_at=datetime(2025, 1, 1, tzinfo=UTC),
                    method=ConsentMethod.EMAIL,
                ),
                ConsentRecord(
                    person=ayse,
                    topic=ConsentTopic.EMAIL_INVITATIONS,
                    given=True,
                    recorded_at=datetime(2024, 1, 1, tzinfo=UTC),
                    method=ConsentMethod.FORM,
                ),
            ]
        )
    return directory


def ids(db: Database, query: PeopleQuery) -> list[int]:
    with db.raw_read() as connection:
        return person_ids(connection, query)


def test_everyone_in_german_name_order_without_the_archived(listed: Directory) -> None:
    # Adler, Müller, Yılmaz (Zoë Öztürk is archived); Ö sorts with O, not after Z.
    assert ids(listed.db, PeopleQuery()) == [listed.peter, listed.jurgen, listed.ayse]
    everyone = ids(listed.db, PeopleQuery(include_archived=True))
    assert everyone == [listed.peter, listed.jurgen, listed.zoe, listed.ayse]
    with listed.db.raw_read() as connection:
        assert people_count(connection) == 3
        assert people_count(connection, include_archived=True) == 4
        assert archived_people(connection, everyone) == {listed.zoe}


@pytest.mark.parametrize("sort", list(PeopleSort))
@pytest.mark.parametrize("descending", [False, True])
def test_every_column_sorts_like_the_shown_texts_the_german_way(
    listed: Directory, sort: PeopleSort, descending: bool
) -> None:
    """The database's order equals a stable sort of the name-ordered rows by the column's
    key (the window's earlier rule), in both directions."""
    with listed.db.raw_read() as connection:
        rows = person_rows(connection, include_archived=True)
    key = {
        PeopleSort.EMAIL_CONSENT: lambda r: CONSENT_ORDER[r.email_consent],
        PeopleSort.NAME: lambda r: r.sort_key,
        PeopleSort.ORGANISATION: lambda r: (r.organisation is None, fold(r.organisation)),
        PeopleSort.FUNCTION: lambda r: fold(r.function),
        PeopleSort.EMAIL: lambda r: (r.preferred_email or "~").casefold(),
        PeopleSort.GROUPS: lambda r: fold(", ".join(r.groups)),
    }[sort]
    expected = [r.id for r in sorted(rows, key=key, reverse=descending)]
    query = PeopleQuery(include_archived=True, sort=sort, descending=descending)
    assert ids(listed.db, query) == expected


def test_organisation_filter_keeps_the_order(listed: Directory) -> None:
    query = PeopleQuery(organisation_id=listed.club)
    assert ids(listed.db, query) == [listed.peter, listed.jurgen]
    by_function = PeopleQuery(organisation_id=listed.club, sort=PeopleSort.FUNCTION)
    # Kassenwart before Übungsleiter: Ü sorts with U.
    assert ids(listed.db, by_function) == [listed.peter, listed.jurgen]


def test_rows_hold_what_the_list_and_the_details_show(listed: Directory) -> None:
    with listed.db.raw_read() as connection:
        rows = {row.id: row for row in person_rows(connection, [listed.jurgen, listed.ayse])}
        assert person_rows(connection, [listed.ayse, 999_999]) == [rows[listed.ayse]]
    jurgen, ayse = rows[listed.jurgen], rows[listed.ayse]
    assert jurgen.name == "Jürgen Müller"
    assert jurgen.organisation == "SV Stahldorf"
    assert jurgen.quarters == ("Stahldorf",)
    assert jurgen.groups == ("Sport",)
    assert jurgen.preferred_email == "J.Mueller@svs.example"
    assert jurgen.email_consent is False  # the withdrawal is the latest statement
    assert ayse.emails == ("ayse@qb.example", "a.yilmaz@privat.example")
    assert ayse.email_consent is True
    assert ayse.photo_consent is None


def test_rows_of_a_few_people_read_their_organisations_quarters_only(listed: Directory) -> None:
    with listed.db.write() as session:
        club = session.get(Organisation, listed.club)
        assert club is not None
        club.quarters.append(Quarter(name="Ölmühle"))  # German order: Ölmühle before Stahldorf
    with listed.db.raw_read() as connection:
        everyone = {row.id: row for row in person_rows(connection, include_archived=True)}
        few = person_rows(connection, [listed.peter, listed.zoe, listed.ayse])
    assert few == [everyone[listed.peter], everyone[listed.zoe], everyone[listed.ayse]]
    assert few[0].quarters == ("Ölmühle", "Stahldorf")
    assert few[1].quarters == ()  # no organisation


def test_rows_match_the_editing_services_view_of_a_person(listed: Directory) -> None:
    form = directory_editing.load_person(listed.db, listed.ayse)
    with listed.db.raw_read() as connection:
        (row,) = person_rows(connection, [listed.ayse])
    assert (row.first_name, row.last_name) == (form.values.first_name, form.values.last_name)
    assert list(row.emails) == [email.address for email in form.values.emails]


def test_search_texts_are_folded_and_spell_umlauts_out(listed: Directory) -> None:
    with listed.db.raw_read() as connection:
        keys = search_keys(connection)
        with_archived = search_keys(connection, include_archived=True)
        some = search_keys(connection, ids=[listed.zoe])
    assert set(keys) == {listed.peter, listed.jurgen, listed.ayse}
    assert listed.zoe in with_archived
    assert set(some) == {listed.zoe}
    jurgen = keys[listed.jurgen]
    for typed in ("mul", "muel", "MÜL", "jurgen", "juergen", "uebungsleiter", "stahldorf"):
        assert all(term in jurgen for term in fold(typed).split()), typed
    assert "lehmheide" in keys[listed.ayse]  # the quarter of her organisation
    assert "ayse" in keys[listed.ayse]
    assert person_search_key("Łukasz Groß", None, "", [], [], []) == "lukasz gross"


def test_organisations_and_choices_as_the_services_give_them(listed: Directory) -> None:
    with listed.db.raw_read() as connection:
        organisations = organisation_rows(connection)
        choices = editing_choices(connection)
    assert [(o.name, o.people_count, o.quarters) for o in organisations] == [
        ("Quartiersbüro Lehmheide", 1, ("Lehmheide",)),
        ("SV Stahldorf", 2, ("Stahldorf",)),
    ]
    assert choices == directory_editing.editing_choices(listed.db)


def test_a_read_sees_one_snapshot_and_writes_stay_possible(listed: Directory) -> None:
    with listed.db.raw_read() as connection:
        before = person_ids(connection, PeopleQuery())
    with listed.db.write() as session:
        session.add(Person(first_name="Anna", last_name="Aal"))
    with listed.db.raw_read() as connection:
        after = person_ids(connection, PeopleQuery())
        with pytest.raises(Exception, match=r"readonly|read-only"):
            connection.execute("DELETE FROM people")
    assert len(after) == len(before) + 1


def test_person_choices_name_everyone_in_german_order(listed: Directory) -> None:
    with listed.db.raw_read() as connection:
        choices = person_choices(connection)
    assert [(c.name, c.organisation, c.archived) for c in choices] == [
        ("Peter Adler", "SV Stahldorf", False),
        ("Jürgen Müller", "SV Stahldorf", False),
        ("Zoë Öztürk", None, True),
        ("Ayşe Yılmaz", "Quartiersbüro Lehmheide", False),
    ]
