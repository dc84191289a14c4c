"""The network page: organisations on the left, people with search and details on the right.

This is the page the window shows first, so it is built and filled without the ORM:
its lists come from ``app.services.directory_listing`` (plain SQL) and the people list is a
lazy model (``ui.network.people_list``) over the ids of the people shown. The search index
loads in the background on the first keystroke or when the window has settled.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, format_number, ngettext
from app.services.directory_listing import (
    PeopleQuery,
    editing_choices,
    organisation_rows,
    people_count,
    person_ids,
    person_rows,
    search_keys,
)
from app.services.directory_rows import EditingChoices, OrganisationRow, PersonRow
from ui.network.editing import PageEditing
from ui.network.models import OrganisationModel
from ui.network.people_list import BLOCK, DatabasePeopleSource, OrderDone, PeopleListModel
from ui.network.person_details import PersonDetails
from ui.tasks import TaskRunner
from ui.widgets.tables import ROW_ROLE, TableView

if TYPE_CHECKING:
    from app.db import Database


@dataclass(frozen=True)
class NetworkData:
    organisations: list[OrganisationRow]
    people: list[int]  # ids in the order of ``query``
    total: int  # everyone in the list without the organisation filter
    first_rows: list[PersonRow]  # the first screenful, so the list paints without a query
    query: PeopleQuery
    choices: EditingChoices | None = None  # groups, quarters, organisations for editing


def load_network(db: Database, query: PeopleQuery) -> NetworkData:
    """Worker thread: both lists in one go (one snapshot), so the page never shows one without
    the other. An organisation filter on an organisation that is gone is dropped."""
    with db.raw_read() as connection:
        organisations = organisation_rows(connection, include_archived=query.include_archived)
        if query.organisation_id is not None and all(
            row.id != query.organisation_id for row in organisations
        ):
            query = replace(query, organisation_id=None)
        ids = person_ids(connection, query)
        total = (
            len(ids)
            if query.organisation_id is None
            else people_count(connection, include_archived=query.include_archived)
        )
        return NetworkData(
            organisations,
            ids,
            total,
            person_rows(connection, ids[:BLOCK]),
            query,
            editing_choices(connection),
        )


def load_order(db: Database, query: PeopleQuery) -> list[int]:
    """Worker thread: the ids of the people list in the order of *query* (a sort)."""
    with db.raw_read() as connection:
        return person_ids(connection, query)


def load_search_keys(db: Database, include_archived: bool) -> dict[int, str]:
    """Worker thread: the folded search text of everyone in the list."""
    with db.raw_read() as connection:
        return search_keys(connection, include_archived=include_archived)


@dataclass(frozen=True)
class ChangedRows:
    """A colleague's change (team mode): the current rows of the people and organisations it
    touched (the asked-for ids missing here are gone from the list), and the people list's
    order of ids now (a list of ints: people may have come, gone or been renamed)."""

    people: list[PersonRow]
    people_asked: frozenset[int]
    order: list[int]
    search_keys: dict[int, str]
    organisations: list[OrganisationRow]
    organisations_asked: frozenset[int]


def load_changed_rows(
    db: Database, people: frozenset[int], organisations: frozenset[int], query: PeopleQuery
) -> ChangedRows:
    """Worker thread: only the rows a colleague's change touched, in one snapshot."""
    with db.raw_read() as connection:
        asked = sorted(people)
        rows = person_rows(connection, asked) if asked else []
        if not query.include_archived:
            rows = [row for row in rows if not row.archived]
        shown = {row.id for row in rows}
        keys = search_keys(connection, ids=sorted(shown)) if shown else {}
        every_organisation = (
            organisation_rows(connection, include_archived=query.include_archived)
            if organisations
            else []
        )
        return ChangedRows(
            rows,
            people,
            person_ids(connection, query),
            keys,
            [row for row in every_organisation if row.id in organisations],
            organisations,
        )


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class NetworkPage(QWidget):
    """Organisations and people of the open database.

    Signals:
        loaded(int, int): organisations and people shown after a (re)load.
        load_failed(object): the exception of a failed load.
    """

    loaded = Signal(int, int)
    load_failed = Signal(object)
    # The person's context menu asks the window for the DSGVO dialogs (person id).
    access_requested = Signal(int)
    erasure_requested = Signal(int)
    # Team mode: a colleague's change was shown (people, organisations asked for).
    rows_refreshed = Signal(int, int)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._organisations = OrganisationModel(self)
        self._people = PeopleListModel(self)
        self._people.failed.connect(self.load_failed)
        self._organisation_names: dict[int, str] = {}
        # The search index: loading for this include-archived state, or loaded.
        self._keys_wanted = False
        self._keys_loading: bool | None = None

        self.organisation_view = TableView(
            self._organisations, "organisationView", empty_text=_("No organisations yet.")
        )
        self.organisation_view.setAccessibleName(_("Organisations"))
        self.organisation_view.selectionModel().selectionChanged.connect(
            self._organisation_selected
        )

        self.search_field = QLineEdit()
        self.search_field.setObjectName("peopleSearch")
        self.search_field.setAccessibleName(_("Search people"))
        self.search_field.setPlaceholderText(
            _("Search people: name, organisation, function, e-mail, group…")
        )
        self.search_field.setClearButtonEnabled(True)
        self.search_field.textChanged.connect(self._search)
        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)

        self.filter_label = QLabel()
        self.filter_label.setTextFormat(Qt.TextFormat.PlainText)
        self.all_organisations_button = QPushButton(_("Show all organisations"))
        self.all_organisations_button.setObjectName("allOrganisations")
        self.all_organisations_button.clicked.connect(self.show_all_organisations)
        self._filter_bar = QWidget()
        bar = QHBoxLayout(self._filter_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.filter_label, 1)
        bar.addWidget(self.all_organisations_button)
        self._filter_bar.hide()

        self.people_view = TableView(self._people, "peopleView")
        self.people_view.setAccessibleName(_("People"))
        self.people_view.selectionModel().selectionChanged.connect(self._person_selected)
        self.people_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.people_view.customContextMenuRequested.connect(self._people_context_menu)
        self._people_count = QLabel()
        self._people_count.setObjectName("peopleCount")
        self.duplicates_button = QPushButton(_("Find duplicates…"))
        self.duplicates_button.setObjectName("findDuplicates")
        self.duplicates_button.clicked.connect(self.find_duplicates)
        self._db: Database | None = None

        self.details = PersonDetails()
        # Toolbar, keys and dialogs for changing the directory.
        self.editing = PageEditing(self, runner)
        self.organisation_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.organisation_view.customContextMenuRequested.connect(
            lambda position: self.editing.organisation_menu().popup(
                self.organisation_view.viewport().mapToGlobal(position)
            )
        )

        self._build_layout()
        self._update_people_texts()

    def _build_layout(self) -> None:
        organisations = QWidget()
        left = QVBoxLayout(organisations)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(_heading(_("Organisations")))
        left.addWidget(self.organisation_view)

        people = QWidget()
        right = QVBoxLayout(people)
        right.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        header.addWidget(_heading(_("People")))
        header.addStretch(1)
        header.addWidget(self._people_count)
        header.addWidget(self.duplicates_button)
        right.addLayout(header)
        right.addWidget(self.search_field)
        right.addWidget(self._filter_bar)
        right.addWidget(self.people_view)

        people_and_details = QSplitter(Qt.Orientation.Vertical)
        people_and_details.addWidget(people)
        people_and_details.addWidget(self.details)
        people_and_details.setStretchFactor(0, 3)
        people_and_details.setStretchFactor(1, 1)
        people_and_details.setSizes([520, 200])
        people_and_details.setChildrenCollapsible(False)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(organisations)
        splitter.addWidget(people_and_details)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([500, 760])
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.editing.toolbar)
        layout.addWidget(splitter)

    # -- loading -------------------------------------------------------------------------------

    def load(self, db: Database) -> None:
        """Reload both lists in the background; ``loaded`` fires when they are shown."""
        self._db = db
        self.editing.set_database(db)
        # "Loading…" rather than "No organisations yet" until the rows are in.
        self.organisation_view.set_loading()
        self.people_view.set_loading()
        query = replace(self._people.query(), include_archived=self.editing.include_archived())
        self._runner.run(
            load_network,
            db,
            query,
            key="network",
            on_done=self._show,
            on_error=self._failed,
            owner=self,
        )

    def refresh_rows(
        self, people: frozenset[int] | None, organisations: frozenset[int] | None
    ) -> None:
        """Show a colleague's change (team mode): only the rows of *people* and
        *organisations* are read again and replaced; None ("some, unknown which") reloads
        the whole lists, keeping selection and scroll position."""
        db = self._db
        if db is None:
            return
        if people is None or organisations is None:
            self.editing.keep_view_state()
            self.load(db)
            return
        if not people and not organisations:
            return
        self._runner.run(
            load_changed_rows,
            db,
            people,
            organisations,
            self._people.query(),
            key="network-changes",
            on_done=self._show_changed,
            on_error=self._failed,
        )

    def _show_changed(self, changed: ChangedRows) -> None:
        if changed.organisations_asked:
            self._organisations.update_rows(changed.organisations, changed.organisations_asked)
            self._organisation_names.update({row.id: row.name for row in changed.organisations})
        if changed.people_asked:
            self._people.apply_change(
                changed.people, changed.people_asked, changed.order, changed.search_keys
            )
            current = self.people_view.currentIndex()
            shown = current.data(ROW_ROLE) if current.isValid() else None
            if shown is not None and shown.id in changed.people_asked:
                self.details.show_person(shown)  # the details of the selected person, anew
        self._update_people_texts()
        self.rows_refreshed.emit(len(changed.people_asked), len(changed.organisations_asked))

    def _failed(self, error: BaseException) -> None:
        self.organisation_view.set_loading(False)
        self.people_view.set_loading(False)
        self.load_failed.emit(error)

    def _show(self, data: NetworkData) -> None:
        self._organisation_names = {row.id: row.name for row in data.organisations}
        self._organisations.set_rows(data.organisations)
        if self._db is not None:
            self._people.set_source(DatabasePeopleSource(self._db))
            self._people.set_order_fetcher(self._fetch_order)
        self._people.set_ids(data.people, data.total, data.first_rows, data.query)
        if data.query.organisation_id is None:
            self.organisation_view.clearSelection()
        self.details.show_person(None)
        if data.choices is not None:
            self.editing.set_choices(data.choices)
        self.editing.restore_view_state()  # after a change: same selection, same scroll
        self._update_people_texts()
        if self._keys_wanted:  # loaded before: the change may have touched what is searched
            self.load_search_keys()
        self.loaded.emit(len(data.organisations), data.total)

    def _fetch_order(self, query: PeopleQuery, done: OrderDone) -> None:
        """The people list's order for *query* from the database, in the background."""
        if self._db is None:
            return
        self._runner.run(
            load_order,
            self._db,
            query,
            key="people-order",
            on_done=lambda ids: done(query, ids),
            on_error=self.load_failed.emit,
        )

    def load_search_keys(self) -> None:
        """Load (again) the search index in the background; the list searches with it."""
        self._keys_wanted = True
        if self._db is None:
            return
        include_archived = self._people.query().include_archived
        self._keys_loading = include_archived
        self._runner.run(
            load_search_keys,
            self._db,
            include_archived,
            key="network-search",
            on_done=lambda keys: self._search_keys_loaded(keys, include_archived),
            on_error=self.load_failed.emit,
        )

    def _search_keys_loaded(self, keys: dict[int, str], include_archived: bool) -> None:
        self._keys_loading = None
        if include_archived == self._people.query().include_archived:
            self._people.set_search_keys(keys)
            self._filter_changed()

    # -- filtering -----------------------------------------------------------------------------

    def _focus_search(self) -> None:
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def _search(self, text: str) -> None:
        if not self._people.has_search_keys() and self._keys_loading is None:
            self.load_search_keys()
        self._people.set_query(text)
        self._filter_changed()

    def _organisation_selected(
        self, _selected: QItemSelection, _deselected: QItemSelection
    ) -> None:
        row: OrganisationRow | None = self.organisation_view.selected_row()
        self._people.set_organisation(row.id if row else None)
        self._filter_changed()

    def show_all_organisations(self) -> None:
        self.organisation_view.clearSelection()
        self._people.set_organisation(None)
        self._filter_changed()

    def _filter_changed(self) -> None:
        # The selected person may just have been filtered out of view.
        self.details.show_person(self.people_view.selected_row())
        self._update_people_texts()

    def _update_people_texts(self) -> None:
        shown, total = self._people.rowCount(), self._people.total_count()
        organisation_id = self._people.organisation_id()
        self._filter_bar.setVisible(organisation_id is not None)
        if organisation_id is not None:
            self.filter_label.setText(
                _("Only people of {organisation}").format(
                    organisation=self._organisation_names.get(organisation_id, "")
                )
            )
        if shown == total:
            self._people_count.setText(
                ngettext("{count} person", "{count} people", total).format(
                    count=format_number(total)
                )
            )
        else:
            self._people_count.setText(
                _("{shown} of {total}").format(
                    shown=format_number(shown), total=format_number(total)
                )
            )
        if total == 0:
            empty = _("No people yet.")
        elif self.search_field.text().strip():
            if not self._people.has_search_keys():
                empty = _("Searching…")
            else:
                empty = _("No one matches “{query}”.").format(
                    query=self.search_field.text().strip()
                )
        else:
            empty = _("No people in this organisation.")
        self.people_view.set_empty_text(empty)

    def people_context_menu(self, person: PersonRow) -> QMenu:
        """The menu for *person*; other entries may be added here."""
        menu = QMenu(self.people_view)
        menu.setObjectName("peopleContextMenu")
        menu.addAction(
            _("Access request (Art. 15)…"), lambda: self.access_requested.emit(person.id)
        )
        menu.addAction(_("Erase (Art. 17)…"), lambda: self.erasure_requested.emit(person.id))
        self.editing.add_people_menu_entries(menu)
        return menu

    def _people_context_menu(self, position: QPoint) -> None:
        index = self.people_view.indexAt(position)
        if not index.isValid():
            return
        # A right-click inside a multi-selection keeps it (for "Add to group" on all of them).
        if not self.people_view.selectionModel().isRowSelected(index.row()):
            self.people_view.selectRow(index.row())
        person: PersonRow | None = index.data(ROW_ROLE)
        if person is not None:
            menu = self.people_context_menu(person)
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            menu.popup(self.people_view.viewport().mapToGlobal(position))

    def find_duplicates(self) -> None:
        """The duplicates dialog (window-modal); after a merge the lists reload."""
        if self._db is None:
            return
        from ui.network.duplicates_dialog import open_duplicates_dialog

        db = self._db
        open_duplicates_dialog(self, self._runner, db, on_merged=lambda _result: self.load(db))

    def _person_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.details.show_person(self.people_view.selected_row())

    # -- for tests and the window --------------------------------------------------------------

    def people_model(self) -> PeopleListModel:
        return self._people

    def organisation_model(self) -> OrganisationModel:
        return self._organisations
