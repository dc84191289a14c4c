"""A person's consent statements: the current state per topic, the history, and a form to
record a new statement (saved together with the person)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _, current_language, format_date
from app.models import ConsentMethod, ConsentTopic
from app.services.directory_editing import ConsentInput, ConsentRow
from ui.network.models import CONSENT_SYMBOLS, consent_colour, consent_text
from ui.widgets.tables import Column, RowTableModel, TableView

TOPIC_LABELS = {
    ConsentTopic.CONTACT_DATA: N_("Storing contact data"),
    ConsentTopic.EMAIL_INVITATIONS: N_("E-mail invitations"),
    ConsentTopic.PHOTOS: N_("Photos"),
}
METHOD_LABELS = {
    ConsentMethod.FORM: N_("Form"),
    ConsentMethod.SIGNIN_SHEET: N_("Sign-in sheet"),
    ConsentMethod.EMAIL: N_("E-mail"),
    ConsentMethod.VERBAL: N_("Verbal"),
    ConsentMethod.IMPORT: N_("Import"),
    ConsentMethod.OTHER: N_("Other"),
}


@dataclass(frozen=True)
class StatementRow:
    """A recorded statement, or one added in this dialog and not saved yet."""

    day: date
    topic: ConsentTopic
    given: bool
    method: ConsentMethod
    note: str
    pending: bool
    order: tuple[datetime, int]


def _statement_text(row: StatementRow) -> str:
    text = f"{CONSENT_SYMBOLS[row.given]} {consent_text(row.given)}"
    return _("{statement} (not saved yet)").format(statement=text) if row.pending else text


STATEMENT_COLUMNS = (
    Column(N_("Date"), lambda r: format_date(r.day), sort_key=lambda r: r.order, width=10),
    Column(N_("Consent to"), lambda r: _(TOPIC_LABELS[r.topic]), width=18),
    Column(
        N_("Statement"),
        _statement_text,
        foreground=lambda r: consent_colour(r.given),
        width=14,
    ),
    Column(N_("How"), lambda r: _(METHOD_LABELS[r.method]), width=12),
    Column(N_("Note"), lambda r: r.note, width=20, tooltip=lambda r: r.note),
)


class StatementModel(RowTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(STATEMENT_COLUMNS, parent)


def _local_day(moment: datetime) -> date:
    return moment.astimezone().date()


class ConsentEditor(QWidget):
    """Shows what a person agreed to and collects new statements for the next save."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._recorded: tuple[ConsentRow, ...] = ()
        self._pending: list[ConsentInput] = []

        self._state_labels: dict[ConsentTopic, QLabel] = {}
        current = QFormLayout()
        for topic, title in TOPIC_LABELS.items():
            label = QLabel()
            label.setObjectName(f"consentState_{topic.value}")
            self._state_labels[topic] = label
            current.addRow(_("{topic}:").format(topic=_(title)), label)

        self.model = StatementModel(self)
        self.view = TableView(
            self.model, "consentView", empty_text=_("No statements recorded yet.")
        )
        self.view.setMinimumHeight(110)

        self.topic = QComboBox()
        self.topic.setObjectName("consentTopic")
        for topic, title in TOPIC_LABELS.items():
            self.topic.addItem(_(title), topic)
        self.topic.setCurrentIndex(self.topic.findData(ConsentTopic.EMAIL_INVITATIONS))
        self.given = QComboBox()
        self.given.setObjectName("consentGiven")
        given, withdrawn = _("given"), _("withdrawn")
        self.given.addItem(f"{CONSENT_SYMBOLS[True]} {given}", True)
        self.given.addItem(f"{CONSENT_SYMBOLS[False]} {withdrawn}", False)
        self.day = QDateEdit(QDate.currentDate())
        self.day.setObjectName("consentDate")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd.MM.yyyy" if current_language() == "de" else "dd/MM/yyyy")
        self.day.setMaximumDate(QDate.currentDate())
        self.method = QComboBox()
        self.method.setObjectName("consentMethod")
        for method, title in METHOD_LABELS.items():
            if method is not ConsentMethod.IMPORT:  # set by the importer only
                self.method.addItem(_(title), method)
        self.note = QLineEdit()
        self.note.setObjectName("consentNote")
        self.note.setPlaceholderText(_("e.g. form of 12 May, filed in the network folder"))
        self.add_button = QPushButton(_("Add statement"))
        self.add_button.setObjectName("addConsent")
        self.add_button.clicked.connect(self.add_statement)

        form = QFormLayout()
        form.addRow(_("Consent to:"), self.topic)
        first = QHBoxLayout()
        first.addWidget(self.given)
        first.addWidget(QLabel(_("on")))
        first.addWidget(self.day)
        first.addStretch(1)
        form.addRow(_("Statement:"), first)
        form.addRow(_("How:"), self.method)
        form.addRow(_("Note:"), self.note)
        form.addRow("", self.add_button)
        new_box = QGroupBox(_("Record a new statement"))
        new_box.setLayout(form)

        current_box = QGroupBox(_("Currently"))
        current_box.setLayout(current)
        top = QHBoxLayout()
        top.addWidget(current_box, 2)
        top.addWidget(new_box, 3)
        hint = QLabel(
            _(
                "Statements are never changed afterwards: record a new one instead. The latest "
                "statement per topic counts; withdrawn e-mail consent keeps the person out of "
                "every mailing."
            )
        )
        hint.setWordWrap(True)
        hint.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(QLabel(_("History:")))
        layout.addWidget(self.view, 1)
        layout.addWidget(hint)
        self._refresh()

    def set_statements(self, recorded: tuple[ConsentRow, ...]) -> None:
        self._recorded = recorded
        self._pending = []
        self._refresh()

    def pending(self) -> tuple[ConsentInput, ...]:
        return tuple(self._pending)

    def add_statement(self) -> None:
        picked = self.day.date()
        self._pending.append(
            ConsentInput(
                topic=ConsentTopic(self.topic.currentData()),
                given=bool(self.given.currentData()),
                recorded_on=date(picked.year(), picked.month(), picked.day()),
                method=ConsentMethod(self.method.currentData()),
                note=self.note.text().strip(),
            )
        )
        self.note.clear()
        self._refresh()

    def current_state(self, topic: ConsentTopic) -> bool | None:
        """The latest statement about *topic*, counting the ones not saved yet."""
        rows = [r for r in self._rows() if r.topic == topic]
        return max(rows, key=lambda r: r.order).given if rows else None

    def _rows(self) -> list[StatementRow]:
        rows = [
            StatementRow(
                _local_day(r.recorded_at),
                r.topic,
                r.given,
                r.method,
                r.note,
                False,
                (r.recorded_at, r.id),
            )
            for r in self._recorded
        ]
        today = date.today()
        for number, c in enumerate(self._pending):
            # Mirrors the service: a statement dated today outranks earlier ones of today.
            moment = (
                datetime.now(UTC)
                if c.recorded_on == today
                else datetime(
                    c.recorded_on.year, c.recorded_on.month, c.recorded_on.day, 12, tzinfo=UTC
                )
            )
            rows.append(
                StatementRow(
                    c.recorded_on,
                    c.topic,
                    c.given,
                    c.method,
                    c.note,
                    True,
                    (moment, 1_000_000_000 + number),
                )
            )
        return rows

    def _refresh(self) -> None:
        rows = sorted(self._rows(), key=lambda r: r.order, reverse=True)
        self.model.set_rows(rows)
        for topic, label in self._state_labels.items():
            given = self.current_state(topic)
            label.setText(f"{CONSENT_SYMBOLS[given]} {consent_text(given)}")
            label.setStyleSheet(f"color: {consent_colour(given).name()}; font-weight: bold;")
