"""The network page's people list: a lazy table model over the ids of the people shown.

After Anki's browser (``qt/aqt/browser/table/model.py``): the model holds only the
ids of everyone shown, in the order of the sorted column, as the database delivers them. Rows
are fetched in blocks as they scroll into view and kept in a small cache, so 100,000 people
cost a list of ints, not 100,000 objects. Search-as-you-type runs in memory over one folded
text per person (``app.services.directory_listing.search_keys``), loaded in the background
after the list is shown; every term must occur in it ("mul" and "muel" find Müller).
The last few results are kept (``SearchResults``): deleting a letter shows a result again
instead of searching the whole list, and a new search starts from the smallest kept result
it narrows.

Sorting and the organisation filter ask the source for a new order of ids; search narrows that
order. Both keep the selection: persistent indexes (and so the selection) move with their
people, and people filtered out of view leave it.
"""

from __future__ import annotations

import heapq
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import compress, repeat
from operator import contains
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QWidget

from app.i18n import _
from app.services.directory_listing import (
    PeopleQuery,
    PeopleSort,
    archived_people,
    person_ids,
    person_rows,
)
from app.services.directory_rows import PersonRow
from app.text import fold
from ui.network.models import PEOPLE_COLUMNS, archived_font
from ui.palette import Tone, colour
from ui.widgets.tables import ROW_ROLE, Column, ColumnTableModel

if TYPE_CHECKING:
    from app.db import Database

Index = QModelIndex | QPersistentModelIndex
BLOCK = 100  # rows fetched at once: a few screens
CACHE_LIMIT = 5_000  # rows kept; the cache starts afresh beyond that
# From this many people on, sorting asks a background fetcher (set_order_fetcher) for the new
# order: the database sorts 100,000 people in 0.2-0.4 s, too long to hold the window still.
ASYNC_SORT_FROM = 20_000
# Search results kept for deleting letters and retyping: a few words' worth of keystrokes, and
# at most a few lists of everyone (two lists of 100,000 references are 1.6 MB).
# Results of the same length share their lists, and those are counted once.
RESULTS_KEPT = 24
RESULT_ROWS_KEPT = 500_000

OrderDone = Callable[[PeopleQuery, list[int]], None]
OrderFetcher = Callable[[PeopleQuery, OrderDone], None]
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ROW = int(ROW_ROLE)
_ANSWERED = frozenset(
    {_DISPLAY, _ALIGNMENT, _FOREGROUND, _FONT, _ROW, int(Qt.ItemDataRole.ToolTipRole)}
)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class PeopleSource(Protocol):
    """Where the model gets its ids and rows (called on the GUI thread; must be quick)."""

    def ids(self, query: PeopleQuery) -> list[int]: ...

    def rows(self, ids: Sequence[int]) -> list[PersonRow]: ...

    def archived(self, ids: Sequence[int]) -> set[int]: ...


class DatabasePeopleSource:
    """Ids and rows straight from the database (``Database.raw_read``), no ORM."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def ids(self, query: PeopleQuery) -> list[int]:
        with self.db.raw_read() as connection:
            return person_ids(connection, query)

    def rows(self, ids: Sequence[int]) -> list[PersonRow]:
        with self.db.raw_read() as connection:
            return person_rows(connection, ids)

    def archived(self, ids: Sequence[int]) -> set[int]:
        with self.db.raw_read() as connection:
            return archived_people(connection, ids)


class _NoSource:
    def ids(self, query: PeopleQuery) -> list[int]:
        return []

    def rows(self, ids: Sequence[int]) -> list[PersonRow]:
        return []

    def archived(self, ids: Sequence[int]) -> set[int]:
        return set()


def _new_rows(rows: set[int], old: list[int], new: list[int]) -> dict[int, int]:
    """``{old row: new row}`` of the people at *rows* of *old* that are in *new*."""
    people = {old[row]: row for row in rows if 0 <= row < len(old)}
    if len(people) <= 32:  # a few (the current row, a small selection): C-level scans
        found = {}
        for person, row in people.items():
            try:
                found[row] = new.index(person)
            except ValueError:
                continue  # filtered out of view
        return found
    position = {person: number for number, person in enumerate(new)}
    return {row: position[person] for person, row in people.items() if person in position}


def _narrows(old: tuple[str, ...], new: tuple[str, ...]) -> bool:
    """Whether every match of *new* also matches *old* (each old term lies in a new one):
    typing on then only has to look at the people shown already."""
    return bool(old) and all(any(term in longer for longer in new) for term in old)


Result = tuple[list[int], list[str]]  # ids in the list's order, with their search texts


class SearchResults:
    """The last few search results over one order of ids and one search index (the model
    clears them when either changes), most recently used last.

    Deleting a letter goes back to a result kept from typing it; a new search starts from
    the smallest kept result whose terms it narrows, and filters only by the terms that
    result does not already guarantee.
    """

    def __init__(self) -> None:
        self._results: OrderedDict[tuple[str, ...], Result] = OrderedDict()

    def clear(self) -> None:
        self._results.clear()

    def rows_kept(self) -> int:
        """People in the lists kept, each list counted once (results may share one)."""
        return sum(
            len(ids) for ids in {id(ids): ids for ids, _texts in self._results.values()}.values()
        )

    def get(self, terms: tuple[str, ...]) -> Result | None:
        result = self._results.get(terms)
        if result is not None:
            self._results.move_to_end(terms)
        return result

    def narrowest(self, terms: tuple[str, ...]) -> tuple[tuple[str, ...], Result] | None:
        """The kept result with the fewest people that every match of *terms* is in."""
        best: tuple[tuple[str, ...], Result] | None = None
        for kept, result in self._results.items():
            if _narrows(kept, terms) and (best is None or len(result[0]) < len(best[1][0])):
                best = (kept, result)
        return best

    def keep(self, terms: tuple[str, ...], result: Result) -> None:
        self._results.pop(terms, None)
        self._results[terms] = result
        while len(self._results) > RESULTS_KEPT or (
            len(self._results) > 1 and self.rows_kept() > RESULT_ROWS_KEPT
        ):
            self._results.popitem(last=False)


class PeopleListModel(ColumnTableModel):
    """The people of the network page (see the module docstring).

    ``set_source`` and ``set_ids`` (after a load), ``set_search_keys`` (when the search index
    arrives), ``set_query`` (search text), ``set_organisation``, ``sort`` and
    ``set_include_archived`` change what is shown. ``ROW_ROLE`` gives a person's ``PersonRow``.

    Signals:
        failed(object): reading ids or rows failed (the exception); the list stays as it was.
    """

    failed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._columns: tuple[Column, ...] = PEOPLE_COLUMNS
        self._source: PeopleSource = _NoSource()
        self._fetch_order: OrderFetcher | None = None
        self._pending: PeopleQuery | None = None  # a sort asked of the fetcher
        self._query = PeopleQuery()
        self._order: list[int] = []  # ids for the query, in its order
        self._everyone: tuple[PeopleQuery, list[int]] | None = None  # without the organisation
        self._total = 0  # everyone in the list without organisation filter and search
        self._terms: tuple[str, ...] = ()
        self._keys: dict[int, str] | None = None  # folded search text per person
        self._order_keys: list[str] | None = None  # the search texts of _order, aligned
        self._results = SearchResults()  # for _order and _keys
        self._shown: list[int] = []
        self._rows: dict[int, PersonRow | None] = {}
        self._texts: dict[int, list[str]] = {}

    # -- loading -------------------------------------------------------------------------------

    def has_row_fonts(self) -> bool:
        return True  # archived people in italics

    def longest_texts(self, column: int, count: int = 3) -> list[str]:
        return heapq.nlargest(count, (texts[column] for texts in self._texts.values()), key=len)

    def set_source(self, source: PeopleSource) -> None:
        self._source = source

    def set_order_fetcher(self, fetch: OrderFetcher | None) -> None:
        """*fetch(query, done)* gets the ids of *query* in the background and calls
        ``done(query, ids)`` on the GUI thread; used for sorting long lists."""
        self._fetch_order = fetch

    def query(self) -> PeopleQuery:
        """What the list shows, or is about to show once a sort in the background is done."""
        return self._pending or self._query

    def set_ids(
        self,
        ids: list[int],
        total: int,
        rows: Sequence[PersonRow] = (),
        query: PeopleQuery | None = None,
    ) -> None:
        """Show *ids* (the order of *query*, default the current one) with a fresh cache
        primed with *rows*; *total*: everyone without organisation filter."""
        self.beginResetModel()
        self._pending = None  # a sort still on its way belongs to the list before this one
        if query is not None:
            self._query = query
        self._order = ids
        self._order_changed()
        self._everyone = (self._query, ids) if self._query.organisation_id is None else None
        self._total = total
        # The search index stays until the page sends the reloaded one: a moment of stale
        # search texts is better than a list that empties while the user searches.
        self._rows = {}
        self._texts = {}
        self._store(rows)
        self._shown = self._filtered()
        self.endResetModel()

    def set_search_keys(self, keys: dict[int, str]) -> None:
        """The search index arrived (or was rebuilt after a change): filter with it."""
        self._keys = keys
        self._order_changed()
        # Lined up now (one pass in C, ~10 ms at 100,000 people) rather than in the next
        # keystroke: the index usually arrives when the window has settled.
        self._order_keys = list(map(keys.get, self._order, repeat("")))
        if self._terms:
            self._change_layout(self._filtered())

    def has_search_keys(self) -> bool:
        return self._keys is not None

    def refresh_rows(self) -> None:
        """Fetch the rows shown again (after a change) without touching order or selection."""
        self._rows = {}
        self._texts = {}
        if self._shown:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._shown) - 1, len(self._columns) - 1),
            )

    def apply_change(
        self,
        changed: Sequence[PersonRow],
        asked: frozenset[int],
        order: list[int],
        keys: dict[int, str],
    ) -> None:
        """A colleague's change (team mode), without a reset: the people *asked* for get
        their new rows (*changed*; those missing are gone or now hidden) and search texts
        (*keys*); *order* is the list's new order of ids (people added, removed, renamed).
        Selection and scroll position stay with their people; only changed rows repaint."""
        for person in asked:
            self._rows.pop(person, None)
            self._texts.pop(person, None)
        self._store(changed)
        if self._keys is not None:
            for person in asked:
                self._keys.pop(person, None)
            self._keys.update(keys)
        if order != self._order:
            self._apply_order(self._query, order)
        else:
            self._order_changed()
            if self._terms:
                self._change_layout(self._filtered())
        last = len(self._columns) - 1
        for row in self.row_numbers(set(asked)).values():
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    # -- what is shown -------------------------------------------------------------------------

    def set_query(self, text: str) -> None:
        """Search: every whitespace-separated term must occur (case and accents ignored)."""
        terms = tuple(fold(text).split())
        if terms == self._terms:
            return
        self._terms = terms
        self._change_layout(self._filtered())

    def search_terms(self) -> tuple[str, ...]:
        return self._terms

    def set_organisation(self, organisation_id: int | None) -> None:
        if organisation_id != self.query().organisation_id:
            self._requery(replace(self.query(), organisation_id=organisation_id))

    def organisation_id(self) -> int | None:
        return self._query.organisation_id

    def set_include_archived(self, include: bool) -> None:
        if include != self.query().include_archived:
            self._requery(replace(self.query(), include_archived=include))

    def is_filtering(self) -> bool:
        return bool(self._terms) or self._query.organisation_id is not None

    def total_count(self) -> int:
        """Everyone in the list, before the organisation filter and the search."""
        return self._total

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column (the database's German keys); -1 restores the name order."""
        sort = PeopleSort(column) if 0 <= column < len(self._columns) else PeopleSort.NAME
        descending = order == Qt.SortOrder.DescendingOrder and 0 <= column < len(self._columns)
        query = replace(self.query(), sort=sort, descending=descending)
        if query == self.query():
            return
        if (
            self._fetch_order is not None
            and query.organisation_id is None
            and len(self._order) >= ASYNC_SORT_FROM
        ):
            self._pending = query
            self._fetch_order(query, self._order_arrived)
            return
        self._pending = None
        self._requery(query)

    def _order_arrived(self, query: PeopleQuery, ids: list[int]) -> None:
        if query != self._pending:
            return  # superseded by another sort or a reload
        self._pending = None
        self._apply_order(query, ids)

    def _requery(self, query: PeopleQuery) -> None:
        self._pending = None
        if (
            query.organisation_id is None
            and self._everyone is not None
            and self._everyone[0] == query
        ):
            ids = self._everyone[1]  # back to all organisations: no need to ask again
        else:
            try:
                ids = self._source.ids(query)
            except Exception as error:  # the list keeps its order; the page says why
                self._report_later(error)
                return
        self._apply_order(query, ids)

    def _apply_order(self, query: PeopleQuery, ids: list[int]) -> None:
        self._query = query
        if query.organisation_id is None:
            self._everyone = (query, ids)
            self._total = len(ids)
        self._order = ids
        self._order_changed()
        self._change_layout(self._filtered())

    def _order_changed(self) -> None:
        """``_order`` or ``_keys`` changed: the search texts lined up with the order and the
        results kept are void."""
        self._results.clear()
        self._order_keys = None

    def _filtered(self) -> list[int]:
        """The ids shown for the search terms.

        From a kept result when there is one (``SearchResults``), else from the smallest kept
        result the terms narrow, else from everyone. Each term is one pass in C
        (``map(contains, …)`` and ``compress``): no Python code runs per person.
        """
        terms, keys = self._terms, self._keys
        if not terms:
            return self._order
        if keys is None:
            return []  # the search waits for its index (set_search_keys)
        kept = self._results.get(terms)
        if kept is not None:
            return kept[0]
        start = self._results.narrowest(terms)
        if start is not None:
            done, (ids, texts) = start
        else:
            if self._order_keys is None:
                self._order_keys = list(map(keys.get, self._order, repeat("")))
            done, ids, texts = (), self._order, self._order_keys
        for term in terms:
            if term in done:
                continue  # every candidate has it already
            mask = list(map(contains, texts, repeat(term)))
            if False in mask:  # else everyone has it ("person" in every address): keep the lists
                ids, texts = list(compress(ids, mask)), list(compress(texts, mask))
        self._results.keep(terms, (ids, texts))
        return ids

    def _change_layout(self, shown: list[int]) -> None:
        """Show *shown*; persistent indexes (the selection) follow their people."""
        self.layoutAboutToBeChanged.emit()
        old = self._shown
        self._shown = shown
        persistent = self.persistentIndexList()
        if persistent:
            new_rows = _new_rows({index.row() for index in persistent}, old, shown)
            for index in persistent:
                new = new_rows.get(index.row(), -1)
                self.changePersistentIndex(
                    index, self.index(new, index.column()) if new >= 0 else QModelIndex()
                )
        self.layoutChanged.emit()

    def _report_later(self, error: BaseException) -> None:
        QTimer.singleShot(0, self, lambda: self.failed.emit(error))

    # -- ids and rows --------------------------------------------------------------------------

    def id_at(self, row: int) -> int:
        return self._shown[row]

    def shown_ids(self) -> list[int]:
        return list(self._shown)

    def row_numbers(self, ids: set[int]) -> dict[int, int]:
        """``{id: row}`` of those *ids* that are shown."""
        return {person: row for row, person in enumerate(self._shown) if person in ids}

    def sourceModel(self) -> PeopleListModel:
        """This model: the page's list once was a filter proxy, and callers read the whole
        list through ``people_model().sourceModel().rows()``."""
        return self

    def rows(self) -> list[PersonRow]:
        """Every person of the list before organisation filter and search, all fetched at once
        (a few hundredths of a second per 10,000 people: for small lists and checks)."""
        if self._everyone is not None and self._everyone[0] == replace(
            self._query, organisation_id=None
        ):
            ids = self._everyone[1]
        else:
            ids = self._source.ids(replace(self._query, organisation_id=None))
        return self._source.rows(ids)

    def archived_among(self, ids: Sequence[int]) -> set[int]:
        """Which of *ids* are archived, without fetching their rows."""
        return self._source.archived(ids) if self._query.include_archived else set()

    def row(self, number: int) -> PersonRow | None:
        person = self._shown[number]
        if person not in self._rows:
            self._fetch_around(number)
        return self._rows.get(person)

    def _fetch_around(self, number: int) -> None:
        start = number - number % BLOCK
        wanted = [
            person for person in self._shown[start : start + BLOCK] if person not in self._rows
        ]
        if len(self._rows) + len(wanted) > CACHE_LIMIT:
            self._rows, self._texts = {}, {}
        try:
            fetched = self._source.rows(wanted)
        except Exception as error:  # e.g. the database was closed for a restore meanwhile
            # data() must answer anyway: the rows stay empty until the next load. Reported
            # on the next turn of the event loop, not in the middle of painting.
            self._report_later(error)
            fetched = []
        self._store(fetched)
        for person in wanted:
            self._rows.setdefault(person, None)  # gone meanwhile: shown empty until a reload

    def _store(self, rows: Sequence[PersonRow]) -> None:
        columns = self._columns
        for person in rows:
            self._rows[person.id] = person
            self._texts[person.id] = [column.text(person) for column in columns]

    # -- Qt model interface --------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        # Asked for a dozen roles per visible cell on every repaint (each keystroke): plain
        # int comparisons, roles it does not answer turned away first.
        if role not in _ANSWERED or not index.isValid():
            return None
        person = self.row(index.row())
        if role == _DISPLAY:
            return self._texts[person.id][index.column()] if person is not None else ""
        if person is None:
            return None
        if role == _ROW:
            return person
        column = self._columns[index.column()]
        if role == _ALIGNMENT:
            return column.align
        if role == _FOREGROUND:
            if column.foreground is not None:
                shade = column.foreground(person)
                if shade is not None:
                    return shade
            return colour(Tone.MUTED) if person.archived else None
        if role == _FONT:
            return archived_font() if person.archived else None
        # The tooltip.
        return (column.tooltip(person) or None) if column.tooltip is not None else None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        column = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return _(column.title)
        if role == Qt.ItemDataRole.ToolTipRole and column.header_tooltip:
            return _(column.header_tooltip)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.align
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def columns(self) -> tuple[Column, ...]:
        return self._columns
