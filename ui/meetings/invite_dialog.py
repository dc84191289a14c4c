"""Choose invitees by group, quarter, organisation or person, and invite them.

The chosen groups, quarters and organisations are united (``find_candidates``), then narrowed
by the search text; with nothing chosen everyone active is listed. Organisations with an
address of their own (info@verein.de) are listed as well and can be invited as the
organisation. Each candidate shows how they would be reached (e-mail, or a letter with the
reason) and whether they are invited already. People who need a letter are also listed
separately below.

Signals:
    ready(): the choices are loaded.
    candidates_shown(int): the candidate list was (re)loaded with this many people.
    invited(object): the ``AddResult`` of an "Invite" click.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.i18n import N_, _, ngettext
from app.services.invitations import (
    AddResult,
    CandidateRow,
    Choice,
    SelectionChoices,
    add_invitees,
    find_candidates,
    letter_reason_label,
    selection_choices,
)
from app.services.meetings import INVITATION_STATE_LABELS, label
from ui.tasks import TaskRunner
from ui.widgets.error_box import error_text
from ui.widgets.sizing import resize_within_screen
from ui.widgets.tables import ALIGN_RIGHT, ROW_ROLE, Column, RowTableModel, TableView

CHOICE_COLUMNS = (
    Column(N_("Name"), lambda r: r.name, width=22, tooltip=lambda r: r.name, stretch=True),
    Column(
        N_("People"),
        lambda r: str(r.people),
        sort_key=lambda r: r.people,
        align=ALIGN_RIGHT,
        width=6,
    ),
)


def reach(row: CandidateRow) -> str:
    if row.organisation_id is not None:
        # Translators: how an organisation invited by its own address (info@…) is reached.
        return _("e-mail to the organisation")
    if row.mailable:
        return _("e-mail")
    assert row.letter_reason is not None
    return _("letter ({reason})").format(reason=letter_reason_label(row.letter_reason))


def invited_text(row: CandidateRow) -> str:
    if row.invitation_state is None:
        return ""
    return label(INVITATION_STATE_LABELS, row.invitation_state)


def organisation_text(row: CandidateRow) -> str:
    if row.organisation_id is not None:
        # Translators: in the invite list, beside an organisation invited by its own address.
        return _("(the organisation itself)")
    return row.organisation or ""


CANDIDATE_COLUMNS = (
    Column(N_("Name"), lambda r: r.name, width=22, tooltip=lambda r: r.name),
    Column(
        N_("Organisation"),
        organisation_text,
        width=26,
        tooltip=organisation_text,
        stretch=True,
    ),
    Column(N_("E-mail"), lambda r: r.email or "", width=22),
    Column(N_("Reached by"), reach, width=18, tooltip=reach),
    Column(N_("Already invited"), invited_text, width=12),
)
LETTER_COLUMNS = (
    Column(N_("Name"), lambda r: r.name, width=22),
    Column(N_("Organisation"), lambda r: r.organisation or "", width=26, stretch=True),
    Column(
        N_("Why a letter"),
        lambda r: letter_reason_label(r.letter_reason) if r.letter_reason else "",
        width=22,
    ),
)


class _ChoiceList(QWidget):
    """A searchable multi-select list of groups, quarters or organisations."""

    def __init__(self, title: str, name: str, on_change: object) -> None:
        super().__init__()
        self.model = RowTableModel(CHOICE_COLUMNS, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(0)
        self.search = QLineEdit()
        self.search.setObjectName(f"{name}Search")
        self.search.setPlaceholderText(_("Search…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.view = TableView(self.model, name, shown=self.proxy, sortable=False)
        self.view.setAccessibleName(title.replace("&", ""))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        self.view.selectionModel().selectionChanged.connect(on_change)
        heading = QLabel(title)
        heading.setBuddy(self.search)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.search)
        layout.addWidget(self.view)

    def set_choices(self, rows: Sequence[Choice]) -> None:
        self.model.set_rows(rows)

    def selected_ids(self) -> list[int]:
        rows = self.view.selectionModel().selectedRows()
        return [self.proxy.mapToSource(index).data(ROW_ROLE).id for index in rows]

    def select_names(self, names: Sequence[str]) -> None:
        """Select entries by name (tests and keyboard users typing a name)."""
        for row_number, row in enumerate(self.model.rows()):
            if row.name in names:
                self.view.selectRow(self.proxy.mapFromSource(self.model.index(row_number, 0)).row())


class InviteDialog(QDialog):
    """See the module docstring."""

    ready = Signal()
    candidates_shown = Signal(int)
    invited = Signal(object)

    def __init__(
        self, runner: TaskRunner, db: Database, meeting_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("inviteDialog")
        self.setWindowTitle(_("Invite people"))
        self._runner, self._db, self._meeting_id = runner, db, meeting_id
        self.groups = _ChoiceList(_("&Groups"), "inviteGroups", self._schedule)
        self.quarters = _ChoiceList(_("&Quarters"), "inviteQuarters", self._schedule)
        self.organisations = _ChoiceList(_("O&rganisations"), "inviteOrganisations", self._schedule)
        choices = QGridLayout()
        choices.addWidget(self.groups, 0, 0)
        choices.addWidget(self.quarters, 0, 1)
        choices.addWidget(self.organisations, 0, 2)
        choices.setColumnStretch(2, 2)

        self.search = QLineEdit()
        self.search.setObjectName("inviteSearch")
        self.search.setPlaceholderText(_("Search people by name, organisation, e-mail…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._schedule)
        self.candidates = RowTableModel(CANDIDATE_COLUMNS, self)
        self.candidate_view = TableView(
            self.candidates, "inviteCandidates", empty_text=_("Nobody matches the selection.")
        )
        self.candidate_view.setAccessibleName(_("People to invite"))
        self.candidate_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.candidate_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.letters = RowTableModel(LETTER_COLUMNS, self)
        self.letter_view = TableView(
            self.letters, "inviteLetters", empty_text=_("Everyone listed can be reached by e-mail.")
        )
        self.letter_view.setAccessibleName(_("Invitees without e-mail"))
        self.count = QLabel()
        self.count.setObjectName("inviteCount")
        self.letter_heading = QLabel()
        self.outcome = QLabel()
        self.outcome.setObjectName("inviteResult")
        self.outcome.setWordWrap(True)
        self.outcome.setTextFormat(Qt.TextFormat.PlainText)

        self.invite_selected = QPushButton(_("Invite &selected"))
        self.invite_selected.setObjectName("inviteSelected")
        self.invite_selected.clicked.connect(lambda: self.invite(selected_only=True))
        self.invite_all = QPushButton(_("Invite &all listed"))
        self.invite_all.setObjectName("inviteAll")
        self.invite_all.clicked.connect(lambda: self.invite(selected_only=False))
        actions = QHBoxLayout()
        actions.addWidget(self.count, 1)
        actions.addWidget(self.invite_selected)
        actions.addWidget(self.invite_all)

        people = QWidget()
        people_layout = QVBoxLayout(people)
        people_layout.setContentsMargins(0, 0, 0, 0)
        search_label = QLabel(_("&People:"))
        search_label.setBuddy(self.search)
        people_layout.addWidget(search_label)
        people_layout.addWidget(self.search)
        people_layout.addWidget(self.candidate_view, 1)
        people_layout.addLayout(actions)
        letters = QWidget()
        letters_layout = QVBoxLayout(letters)
        letters_layout.setContentsMargins(0, 0, 0, 0)
        letters_layout.addWidget(self.letter_heading)
        letters_layout.addWidget(self.letter_view)
        top = QWidget()
        top.setLayout(choices)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(people)
        splitter.addWidget(letters)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.outcome)
        layout.addWidget(buttons)
        resize_within_screen(self, 960, 720)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.refresh)
        self._update_buttons()
        runner.run(selection_choices, db, on_done=self._choices_loaded, on_error=self._failed)

    def _choices_loaded(self, choices: SelectionChoices) -> None:
        self.groups.set_choices(choices.groups)
        self.quarters.set_choices(choices.quarters)
        self.organisations.set_choices(choices.organisations)
        self.ready.emit()
        self.refresh()

    def _schedule(self, *_args: object) -> None:
        self._timer.start()

    def refresh(self) -> None:
        """Load the candidates for the current choices (a newer request drops older ones)."""
        self._timer.stop()
        self._runner.run(
            lambda db, g, q, o, s, m: find_candidates(
                db, group_ids=g, quarter_ids=q, organisation_ids=o, search=s, meeting_id=m
            ),
            self._db,
            self.groups.selected_ids(),
            self.quarters.selected_ids(),
            self.organisations.selected_ids(),
            self.search.text(),
            self._meeting_id,
            key=f"invite-candidates-{id(self)}",
            on_done=self._candidates_loaded,
            on_error=self._failed,
        )

    def _candidates_loaded(self, rows: list[CandidateRow]) -> None:
        self.candidates.set_rows(rows)
        by_letter = [row for row in rows if not row.mailable]
        self.letters.set_rows(by_letter)
        new = sum(1 for row in rows if row.invitation_state is None)
        people = sum(1 for row in rows if row.person_id is not None)
        listed = ngettext("{count} person listed", "{count} people listed", people).format(
            count=people
        )
        if people < len(rows):
            organisations = len(rows) - people
            listed += " · " + ngettext(
                "{count} organisation by its own address",
                "{count} organisations by their own addresses",
                organisations,
            ).format(count=organisations)
        self.count.setText(
            listed
            + " · "
            + ngettext("{new} not invited yet", "{new} not invited yet", new).format(new=new)
        )
        self.letter_heading.setText(
            ngettext(
                "{count} of them needs a letter (“per Brief”):",
                "{count} of them need a letter (“per Brief”):",
                len(by_letter),
            ).format(count=len(by_letter))
        )
        self._update_buttons()
        self.candidates_shown.emit(len(rows))

    def _update_buttons(self, *_args: object) -> None:
        self.invite_selected.setEnabled(self.candidate_view.selectionModel().hasSelection())
        self.invite_all.setEnabled(self.candidates.rowCount() > 0)

    def invite(self, *, selected_only: bool) -> None:
        if selected_only:
            indexes = self.candidate_view.selectionModel().selectedRows()
            rows = [self.candidates.row(index.row()) for index in indexes]
        else:
            rows = self.candidates.rows()
        person_ids = [row.person_id for row in rows if row.person_id is not None]
        organisation_ids = [
            row.organisation_id
            for row in rows
            if row.person_id is None and row.organisation_id is not None
        ]
        if not person_ids and not organisation_ids:
            return
        self.invite_selected.setEnabled(False)
        self.invite_all.setEnabled(False)
        self._runner.run(
            partial(add_invitees, organisation_ids=organisation_ids),
            self._db,
            self._meeting_id,
            person_ids,
            on_done=self._invited,
            on_error=self._failed,
        )

    def _invited(self, result: AddResult) -> None:
        parts = [
            ngettext("{n} person invited", "{n} people invited", len(result.added)).format(
                n=len(result.added)
            )
        ]
        if result.added_organisations:
            parts.append(
                ngettext(
                    "{n} organisation invited by its own address",
                    "{n} organisations invited by their own addresses",
                    len(result.added_organisations),
                ).format(n=len(result.added_organisations))
            )
        already = len(result.already_invited) + len(result.already_invited_organisations)
        if already:
            parts.append(
                ngettext("{n} was invited already", "{n} were invited already", already).format(
                    n=already
                )
            )
        if result.skipped_archived:
            parts.append(
                ngettext(
                    "{n} archived person skipped",
                    "{n} archived people skipped",
                    len(result.skipped_archived),
                ).format(n=len(result.skipped_archived))
            )
        self.outcome.setText(", ".join(parts) + ".")
        self.invited.emit(result)
        self.refresh()

    def _failed(self, error: BaseException) -> None:
        self._update_buttons()
        self.outcome.setText(error_text(error))
