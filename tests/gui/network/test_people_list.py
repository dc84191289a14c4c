"""The lazy people list of the network page: Qt's model tester in every state,
rows fetched only as they come into view, the database's German order, search in memory,
and persistent indexes (so the selection) following their people."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QPersistentModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.directory_listing import PeopleQuery, person_ids, search_keys
from app.services.directory_rows import PersonRow
from app.text import fold
from ui.network import people_list
from ui.network.page import NetworkPage
from ui.network.people_list import DatabasePeopleSource, PeopleListModel
from ui.tasks import TaskRunner
from ui.widgets.tables import ROW_ROLE, TableView


class CountingSource(DatabasePeopleSource):
    """The real source, counting how many rows the model asks for."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.fetched: list[int] = []

    def rows(self, ids: Sequence[int]) -> list[PersonRow]:
        self.fetched += ids
        return super().rows(ids)


def loaded_model(db: Database, source: DatabasePeopleSource | None = None) -> PeopleListModel:
    model = PeopleListModel()
    model.set_source(source or DatabasePeopleSource(db))
    with db.raw_read() as connection:
        ids = person_ids(connection, PeopleQuery())
        model.set_ids(ids, len(ids))
        model.set_search_keys(search_keys(connection))
    return model


def names(model: PeopleListModel) -> list[str]:
    return [model.index(row, 1).data() for row in range(model.rowCount())]


@pytest.fixture
def demo(demo_path: Path) -> Iterator[Database]:
    database = Database.open(demo_path)
    yield database
    database.close()


def test_the_model_passes_the_model_tester_in_every_state(
    qtmodeltester: ModelTester, demo: Database
) -> None:
    qtmodeltester.check(PeopleListModel())  # empty, no source
    model = loaded_model(demo)
    qtmodeltester.check(model)
    for column in range(model.columnCount()):
        for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
            model.sort(column, order)
            qtmodeltester.check(model)
    model.set_query("quartier")
    qtmodeltester.check(model)
    assert 0 < model.rowCount() < model.total_count()
    organisation = next(
        row.organisation_id
        for row in (model.row(n) for n in range(model.rowCount()))
        if row is not None and row.organisation_id is not None
    )
    model.set_organisation(organisation)
    qtmodeltester.check(model)
    model.set_query("")
    model.set_organisation(None)
    model.set_include_archived(True)
    qtmodeltester.check(model)
    model.sort(-1)
    qtmodeltester.check(model)


def test_rows_are_fetched_only_as_they_come_into_view(
    demo: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(people_list, "BLOCK", 10)
    source = CountingSource(demo)
    model = loaded_model(demo, source)
    assert source.fetched == []  # ids only: nothing fetched to show the count
    assert model.index(3, 1).data()
    assert len(source.fetched) == 10  # the block of rows 0-9
    assert model.index(9, 1).data(ROW_ROLE).id == model.id_at(9)
    assert len(source.fetched) == 10  # cached
    assert model.index(42, 1).data()
    assert source.fetched[10:] == [model.id_at(row) for row in range(40, 50)]


def test_the_database_sorts_the_german_way_in_both_directions(network_db: Database) -> None:
    model = loaded_model(network_db)
    assert names(model)[:2] == ["Peter Adler", "Renée Ährenfeld"]
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert names(model)[-2:] == ["Renée Ährenfeld", "Peter Adler"]
    model.sort(2, Qt.SortOrder.AscendingOrder)
    organisations = [model.index(r, 2).data() for r in range(model.rowCount())]
    assert organisations[0].startswith("Gemeinschaftsunterkunft")
    assert organisations[-1] == ""  # Renée Ährenfeld has none: last
    model.sort(0, Qt.SortOrder.AscendingOrder)  # withdrawn consent first
    assert model.index(0, 1).data() == "Jürgen Müller"


def test_search_needs_every_term_ignores_accents_and_spelled_out_umlauts(
    network_db: Database,
) -> None:
    model = loaded_model(network_db)
    model.set_query("  SPORT   müller ")
    assert names(model) == ["Jürgen Müller"]
    model.set_query("juergen")  # ü typed as ue
    assert names(model) == ["Jürgen Müller"]
    model.set_query("oztu")
    assert names(model) == ["Zoë Öztürk-Weiß"]
    model.set_query("sport")
    assert sorted(names(model)) == ["Jürgen Müller", "Peter Adler"]
    model.set_query("sport pet")  # typing on narrows what is shown
    assert names(model) == ["Peter Adler"]
    model.set_query("")
    assert len(names(model)) == 8


def test_search_waits_for_its_index(network_db: Database) -> None:
    model = PeopleListModel()
    model.set_source(DatabasePeopleSource(network_db))
    with network_db.raw_read() as connection:
        ids = person_ids(connection, PeopleQuery())
        keys = search_keys(connection)
    model.set_ids(ids, len(ids))
    model.set_query("yilmaz")
    assert model.rowCount() == 0
    assert not model.has_search_keys()
    model.set_search_keys(keys)
    assert names(model) == ["Ayşe Yılmaz"]


def test_persistent_indexes_follow_their_people_through_sorting_and_search(
    network_db: Database,
) -> None:
    model = loaded_model(network_db)
    row = names(model).index("Ayşe Yılmaz")
    remembered = QPersistentModelIndex(model.index(row, 1))
    gone = QPersistentModelIndex(model.index(names(model).index("Peter Adler"), 1))
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert remembered.data() == "Ayşe Yılmaz"
    assert remembered.data(ROW_ROLE).last_name == "Yılmaz"
    model.set_query("lehmheide")
    assert remembered.isValid()
    assert remembered.data() == "Ayşe Yılmaz"
    assert not gone.isValid()  # filtered out of view
    model.set_query("")
    model.sort(-1)
    assert remembered.row() == row


def test_the_selection_keeps_the_people_still_shown(qtbot: QtBot, network_db: Database) -> None:
    model = loaded_model(network_db)
    view = TableView(model, "peopleView")
    qtbot.addWidget(view)
    view.setSelectionMode(TableView.SelectionMode.ExtendedSelection)
    view.selectAll()
    model.set_query("qb.example")  # the office's people with an address there
    selection = view.selectionModel()
    selected = sorted(index.row() for index in selection.selectedRows())
    assert selected == list(range(model.rowCount()))
    assert {model.row(r).organisation for r in selected} == {"Quartiersbüro Lehmheide"}  # type: ignore[union-attr]
    selection.select(
        model.index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    person = model.row(0)
    model.set_query("")
    assert [model.row(index.row()) for index in selection.selectedRows()] == [person]


def test_the_page_loads_the_search_index_on_the_first_keystroke(
    qtbot: QtBot, network_db: Database
) -> None:
    page = NetworkPage(TaskRunner())
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):
        page.load(network_db)
    assert not page.people_model().has_search_keys()  # not needed to show the list
    qtbot.keyClicks(page.search_field, "nguy")
    qtbot.waitUntil(lambda: names(page.people_model()) == ["Thị Mai Nguyễn"])
    assert page.people_model().has_search_keys()


def test_long_lists_sort_in_the_background_and_a_reload_wins(
    qtmodeltester: ModelTester, network_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(people_list, "ASYNC_SORT_FROM", 5)
    model = loaded_model(network_db)
    asked: list[tuple[PeopleQuery, people_list.OrderDone]] = []
    model.set_order_fetcher(lambda query, done: asked.append((query, done)))
    before = names(model)
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert names(model) == before  # still the old order while the database sorts
    assert model.query().descending  # what the list is about to show
    query, done = asked[-1]
    with network_db.raw_read() as connection:
        done(query, person_ids(connection, query))
    assert names(model) == list(reversed(before))
    qtmodeltester.check(model)
    # A late answer for a sort that a reload has replaced is dropped.
    model.sort(1, Qt.SortOrder.AscendingOrder)
    late_query, late_done = asked[-1]
    with network_db.raw_read() as connection:
        ids = person_ids(connection, PeopleQuery(sort=people_list.PeopleSort.NAME, descending=True))
        model.set_ids(ids, len(ids), query=PeopleQuery(descending=True))
        late_done(late_query, person_ids(connection, late_query))
    assert names(model) == list(reversed(before))


def test_a_failing_source_leaves_the_list_as_it_was_and_says_so(
    qtbot: QtBot, network_db: Database
) -> None:
    class Broken(DatabasePeopleSource):
        def ids(self, query: PeopleQuery) -> list[int]:
            raise OSError("gone")

        def rows(self, ids: Sequence[int]) -> list[PersonRow]:
            raise OSError("gone")

    model = loaded_model(network_db)
    before = names(model)
    model.set_source(Broken(network_db))
    with qtbot.waitSignal(model.failed) as failed:
        model.sort(2, Qt.SortOrder.AscendingOrder)
    assert isinstance(failed.args[0], OSError)
    assert names(model) == before  # cached rows, old order
    model.set_ids(model.shown_ids(), model.total_count())  # a reload empties the cache
    with qtbot.waitSignal(model.failed):
        assert model.index(0, 1).data() == ""  # shown empty, no exception in data()


# -- kept search results -------------------------------------------------------------------------

TRICKY_PEOPLE = [
    "Jürgen Müller sport",
    "Hans Mueller kultur",
    "Anna Straße jugend",
    "Ulrich STRASSE sport",
    "İlkay İstanbul kultur",
    "Ayşe Yılmaz sport jugend",
    "Zoë Öztürk-Weiß kultur",
    "Łukasz Wałęsa sport",
    "Nguyễn Thị Mai jugend",
    "Peter Adler ostviertel",
]
KEYSTROKES = [
    *["m", "mu", "mul", "mu", "mue", "muel", "mue", "mu", "m", ""],
    *["s", "st", "str", "stra", "straß", "straße", "stras", "strasse", "stra", ""],
    *["i", "is", "ist", "i̇st", "ı", "ıl", "il", "ilk", "ilkay", "ilkay ", "ilkay k", "ilkay ku"],
    *["ilkay k", "ilkay ", "ilkay", ""],
    *["ayse", "ayse y", "ayse yil", "ayse yi", "yil ayse", "yil", "yil sport", "sport yil"],
    *["sport", "spor", "sport jugend", "jugend sport", "jugend", "ju", "j", "", "  "],
    *["o", "oz", "ozt", "öz", "weiss", "weiß", "WEISS", "ss", "s", "lukasz", "walesa", "wal"],
    *["nguyen", "nguyễn", "thi mai", "mai thi", "e", "", "zzz", "zz", "z", ""],
]


class FakeSource(people_list._NoSource):
    """Ids given by the test; rows are not needed to check what is shown."""


def model_over(texts: list[str]) -> PeopleListModel:
    model = PeopleListModel()
    model.set_source(FakeSource())
    ids = [person * 7 + 3 for person in range(len(texts))]  # not row numbers
    model.set_ids(ids, len(ids))
    model.set_search_keys({person: fold(text) for person, text in zip(ids, texts, strict=True)})
    return model


def every_term_matches(order: list[int], keys: dict[int, str], text: str) -> list[int]:
    """What the list showed before results were kept: a plain test of every person."""
    terms = fold(text).split()
    return [person for person in order if all(term in keys.get(person, "") for term in terms)]


def test_kept_results_show_exactly_what_testing_everyone_shows(
    qtmodeltester: ModelTester,
) -> None:
    model = model_over(TRICKY_PEOPLE)
    order = model.shown_ids()
    keys = {person: fold(text) for person, text in zip(order, TRICKY_PEOPLE, strict=True)}
    for _round in range(2):  # the second time every result is a kept one
        for text in KEYSTROKES:
            model.set_query(text)
            assert model.shown_ids() == every_term_matches(order, keys, text), text
    qtmodeltester.check(model)
    model.set_query("")
    assert model.shown_ids() == order
    # Kept results belong to one order: after another order everything is searched anew.
    reversed_order = list(reversed(order))
    model.set_ids(reversed_order, len(order))
    for text in ["sport", "spor", "sport jugend", "kultur", ""]:
        model.set_query(text)
        assert model.shown_ids() == every_term_matches(reversed_order, keys, text)


def test_a_new_search_index_voids_the_kept_results() -> None:
    model = model_over(TRICKY_PEOPLE)
    order = model.shown_ids()
    for text in ["s", "sp", "spo", "spor", "sport"]:
        model.set_query(text)
    keys = {person: fold(text) for person, text in zip(order, TRICKY_PEOPLE, strict=True)}
    keys[order[-1]] += " sportverein"  # Peter Adler joined a sports club meanwhile
    model.set_search_keys(keys)
    assert order[-1] in model.shown_ids()
    model.set_query("spor")  # deleting a letter: no stale result from before
    assert model.shown_ids() == every_term_matches(order, keys, "spor")
    assert order[-1] in model.shown_ids()


def test_kept_results_stay_within_their_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(people_list, "RESULT_ROWS_KEPT", 12)
    kept = people_list.SearchResults()
    everyone = (list(range(10)), [str(n) for n in range(10)])
    kept.keep(("a",), everyone)
    kept.keep(("ab",), everyone)  # the same lists, counted once
    assert kept.rows_kept() == 10
    assert kept.get(("a",)) is everyone
    kept.keep(("abc",), (list(range(5)), [str(n) for n in range(5)]))
    assert kept.get(("ab",)) is None  # the least recently used went, with their list
    assert kept.get(("a",)) is None
    assert kept.rows_kept() == 5
    assert kept.get(("abc",)) is not None
    assert kept.narrowest(("abcd",)) == (("abc",), kept.get(("abc",)))


def test_deleting_the_search_restores_the_list_and_the_selection(
    qtbot: QtBot, network_db: Database
) -> None:
    page = NetworkPage(TaskRunner())
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):
        page.load(network_db)
    model = page.people_model()
    page.load_search_keys()
    qtbot.waitUntil(model.has_search_keys)
    everyone = names(model)
    page.people_view.selectRow(everyone.index("Peter Adler"))
    qtbot.keyClicks(page.search_field, "sport")
    qtbot.waitUntil(lambda: sorted(names(model)) == ["Jürgen Müller", "Peter Adler"])
    for _letter in "sport":
        qtbot.keyClick(page.search_field, Qt.Key.Key_Backspace)
    assert page.search_field.text() == ""
    assert names(model) == everyone
    assert page.people_view.selected_row().name == "Peter Adler"
    assert page.details.isEnabled()


def test_a_colleagues_change_is_searched_also_when_it_came_while_not_searching() -> None:
    model = model_over(TRICKY_PEOPLE)
    order = model.shown_ids()
    peter = order[-1]
    for text in ["a", "ad", "adl", "adler", ""]:
        model.set_query(text)
    # Team mode: Peter Adler renamed himself meanwhile; the list is not searching.
    model.apply_change([], frozenset({peter}), order, {peter: fold("Peter Adlerhorst")})
    model.set_query("adlerh")
    assert model.shown_ids() == [peter]
    model.set_query("ostviertel")  # his old search text is gone
    assert model.shown_ids() == []
