"""The person dialog: create or edit one person, with inline validation and consent.

The dialog never writes (``FormDialog``): Save emits ``save_requested`` with a ``PersonInput``
and the page runs the service. The dialog stays open (and busy) until the page calls
``saved()`` or ``save_failed()``, so a conflict or an error never loses what the user typed.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.models import Salutation
from app.services.directory import person_display_name
from app.services.directory_editing import (
    EditingChoices,
    FieldError,
    PersonForm,
    PersonInput,
    validate_person,
)
from ui.network.check_list import CheckList, FoldFilter
from ui.network.consent_widget import ConsentEditor
from ui.network.contact_rows import EmailEditor, PhoneEditor, error_label, show_error
from ui.network.form_dialog import FormDialog
from ui.network.person_details import LANGUAGE_LABELS, SALUTATION_LABELS
from ui.palette import Tone, set_tone
from ui.widgets.sizing import resize_within_screen


def organisation_combo(choices: EditingChoices, current: int | None) -> QComboBox:
    """An editable combo that completes organisation names from any part of the name."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItem("", None)
    for choice in choices.organisations:
        if not choice.archived or choice.id == current:
            combo.addItem(choice.name, choice.id)
    line = combo.lineEdit()
    assert line is not None
    line.setPlaceholderText(_("No organisation (type to search)"))
    line.setClearButtonEnabled(True)
    # "buro lehm" finds "Quartiersbüro Lehmheide": the popup lists what a folding filter
    # lets through, as the people search does.
    matches = FoldFilter(combo)
    matches.setSourceModel(combo.model())
    completer = QCompleter(matches, combo)
    completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
    combo.setCompleter(completer)
    line.textEdited.connect(matches.set_query)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    return combo


def combo_value(combo: QComboBox) -> tuple[bool, int | None]:
    """(understood, organisation id) for what the combo shows; blank means none."""
    text = combo.currentText().strip()
    if not text:
        return True, None
    index = combo.currentIndex()
    if index < 0 or combo.itemText(index) != text:
        index = combo.findText(text, Qt.MatchFlag.MatchFixedString)
    if index <= 0:
        return False, None
    return True, combo.itemData(index)


class PersonDialog(FormDialog):
    """Signals: save_requested(object) with a ``PersonInput`` (see ``FormDialog``)."""

    def __init__(
        self, choices: EditingChoices, form: PersonForm | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("personDialog")
        self.form = form
        self._choices = choices

        self.salutation = QComboBox()
        self.salutation.setObjectName("salutation")
        for salutation in (Salutation.NONE, Salutation.FRAU, Salutation.HERR):
            self.salutation.addItem(_(SALUTATION_LABELS[salutation]), salutation)
        self.title_field = QLineEdit()
        self.title_field.setObjectName("title")
        self.title_field.setAccessibleName(_("Title"))
        self.title_field.setPlaceholderText(_("e.g. Dr."))
        self.title_field.setMaximumWidth(120)
        self.first_name = QLineEdit()
        self.first_name.setObjectName("firstName")
        self.last_name = QLineEdit()
        self.last_name.setObjectName("lastName")
        self.last_name.setAccessibleName(_("Last name"))
        self.last_name_error = error_label()
        self.emails = EmailEditor()
        self.phones = PhoneEditor()
        self._build_address_fields()
        self.organisation = organisation_combo(
            choices, form.values.organisation_id if form else None
        )
        self.organisation.setObjectName("organisation")
        self.organisation.setAccessibleName(_("Organisation"))
        self.organisation_error = error_label()
        self.function = QLineEdit()
        self.function.setObjectName("function")
        self.function.setPlaceholderText(_("e.g. Quartiersmanagerin"))
        self.groups = CheckList(_("Filter groups"))
        self.groups.setObjectName("groups")
        self.groups.set_accessible_name(_("Groups"))
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code, label in LANGUAGE_LABELS.items():
            self.language.addItem(_(label), code)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setTabChangesFocus(True)
        self.consent = ConsentEditor()
        self.archived_note = QLabel(_("This person is archived: not invited, not mailed."))
        set_tone(self.archived_note, Tone.CAUTION)
        self.archived_note.hide()

        self._build_layout()
        self._connect()
        self.load(form)

    # -- building --------------------------------------------------------------------------

    def _build_address_fields(self) -> None:
        """The person's own postal address; empty: letters use the organisation's."""
        self.street = QLineEdit()
        self.street.setObjectName("street")
        self.street.setAccessibleName(_("Street"))
        self.postcode = QLineEdit()
        self.postcode.setObjectName("postcode")
        self.postcode.setAccessibleName(_("Postcode"))
        self.postcode.setPlaceholderText(_("Postcode"))
        self.postcode.setMaximumWidth(90)
        self.city = QLineEdit()
        self.city.setObjectName("city")
        self.city.setAccessibleName(_("City"))
        self.city.setPlaceholderText(_("City"))
        self.country = QLineEdit()
        self.country.setObjectName("country")
        self.country.setAccessibleName(_("Country"))
        # Translators: placeholder of the country field: empty means Germany.
        self.country.setPlaceholderText(_("Germany"))
        self.address_kind = QComboBox()
        self.address_kind.setObjectName("addressKind")
        self.address_kind.setAccessibleName(_("Kind of address"))
        self.address_kind.addItem(_("Work address"), False)
        self.address_kind.addItem(_("Private address"), True)
        self.postcode_error = error_label()
        self.postcode_error.setObjectName("postcodeError")
        self.address_hint = QLabel(
            _("Optional. Without it, letters go to the organisation’s address.")
        )
        self.address_hint.setObjectName("addressHint")
        self.address_hint.setWordWrap(True)
        self.address_hint.setEnabled(False)  # greyed like a hint, in every palette

    def _address_rows(self, form: QFormLayout) -> None:
        form.addRow(_("Street:"), self.street)
        town = QHBoxLayout()
        town.addWidget(self.postcode)
        town.addWidget(self.city, 1)
        town_column = QVBoxLayout()
        town_column.setSpacing(2)
        town_column.addLayout(town)
        town_column.addWidget(self.postcode_error)
        form.addRow(_("Postcode, city:"), town_column)
        place = QHBoxLayout()
        place.addWidget(self.country, 1)
        place.addWidget(self.address_kind)
        form.addRow(_("Country:"), place)
        form.addRow("", self.address_hint)

    def _build_layout(self) -> None:
        left = QFormLayout()
        left.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        salutation_row = QHBoxLayout()
        salutation_row.addWidget(self.salutation)
        salutation_row.addWidget(QLabel(_("Title:")))
        salutation_row.addWidget(self.title_field)
        salutation_row.addStretch(1)
        left.addRow(_("Salutation:"), salutation_row)
        left.addRow(_("First name:"), self.first_name)
        last = QVBoxLayout()
        last.setSpacing(2)
        last.addWidget(self.last_name)
        last.addWidget(self.last_name_error)
        left.addRow(_("Last name:"), last)
        left.addRow(_("E-mail:"), self.emails)
        left.addRow(_("Phone:"), self.phones)
        self._address_rows(left)

        right = QFormLayout()
        right.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        organisation = QVBoxLayout()
        organisation.setSpacing(2)
        organisation.addWidget(self.organisation)
        organisation.addWidget(self.organisation_error)
        right.addRow(_("Organisation:"), organisation)
        right.addRow(_("Function:"), self.function)
        right.addRow(_("Groups:"), self.groups)
        right.addRow(_("Language:"), self.language)
        right.addRow(_("Notes:"), self.notes)

        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addSpacing(16)
        columns.addLayout(right, 1)
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.addWidget(self.archived_note)
        details_layout.addLayout(columns)
        details_layout.addStretch(1)

        self.tabs = QTabWidget()
        self.tabs.addTab(details, _("Person"))
        self.tabs.addTab(self.consent, _("Consent"))

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.form_error)
        layout.addWidget(self.buttons)
        resize_within_screen(self, 860, 560)

    def fix_tab_order(self) -> None:
        """Tab walks the form top to bottom, through e-mail and phone rows added later too."""
        order: list[QWidget] = [self.salutation, self.title_field, self.first_name, self.last_name]
        for editor in (self.emails, self.phones):
            for row in editor.rows:
                order.append(row.edit)
                if row.preferred is not None:
                    order.append(row.preferred)
                order.append(row.remove)
            order.append(editor.add_button)
        order += [
            self.street,
            self.postcode,
            self.city,
            self.country,
            self.address_kind,
            self.organisation,
            self.function,
            self.groups.filter_field,
            self.groups.view,
            self.language,
            self.notes,
            *self.buttons.buttons(),
        ]
        for before, after in pairwise(order):
            QWidget.setTabOrder(before, after)

    def _connect(self) -> None:
        self.emails.changed.connect(self.fix_tab_order)
        self.phones.changed.connect(self.fix_tab_order)
        for field in (
            self.first_name,
            self.last_name,
            self.title_field,
            self.function,
            self.street,
            self.postcode,
            self.city,
            self.country,
        ):
            field.textChanged.connect(self._validate)
        self.postcode.editingFinished.connect(lambda: self._show("postcode"))
        self.country.editingFinished.connect(lambda: self._show("postcode"))
        self.last_name.editingFinished.connect(lambda: self._show("last_name"))
        self.emails.changed.connect(self._validate)
        self.emails.row_finished.connect(lambda number: self._show(f"emails:{number}"))
        self.organisation.currentTextChanged.connect(self._validate)
        line = self.organisation.lineEdit()
        assert line is not None
        line.editingFinished.connect(lambda: self._show("organisation"))

    # -- content ---------------------------------------------------------------------------

    def load(self, form: PersonForm | None) -> None:
        """Show *form* (None: a new, empty person); forgets what was typed."""
        self.form = form
        values = form.values if form else PersonInput(last_name="")
        self._shown.clear()
        self.salutation.setCurrentIndex(max(self.salutation.findData(values.salutation), 0))
        self.title_field.setText(values.title)
        self.first_name.setText(values.first_name)
        self.last_name.setText(values.last_name)
        self.emails.set_emails(values.emails)
        self.phones.set_numbers(values.phones)
        with QSignalBlocker(self.organisation):
            self.organisation.setCurrentIndex(
                max(self.organisation.findData(values.organisation_id), 0)
            )
        self.function.setText(values.function)
        self.street.setText(values.street)
        self.postcode.setText(values.postcode)
        self.city.setText(values.city)
        self.country.setText(values.country)
        self.address_kind.setCurrentIndex(1 if values.address_private else 0)
        self.groups.set_choices(self._choices.groups, values.group_ids)
        language = self.language.findData(values.preferred_language)
        if language < 0:
            self.language.addItem(values.preferred_language, values.preferred_language)
            language = self.language.count() - 1
        self.language.setCurrentIndex(language)
        self.notes.setPlainText(values.notes)
        self.consent.set_statements(form.consents if form else ())
        self.archived_note.setVisible(bool(form and form.archived))
        if form is None:
            self.setWindowTitle(_("New person"))
        else:
            name = person_display_name(values.title, values.first_name, values.last_name)
            self.setWindowTitle(_("Edit {name}").format(name=name))
        show_error(self.form_error, "")
        self._validate()
        self._loaded_values = self.values()
        self.first_name.setFocus(Qt.FocusReason.OtherFocusReason)

    def values(self) -> PersonInput:
        _understood, organisation_id = combo_value(self.organisation)
        return PersonInput(
            last_name=self.last_name.text(),
            first_name=self.first_name.text(),
            salutation=Salutation(self.salutation.currentData()),
            title=self.title_field.text(),
            emails=self.emails.emails(),
            phones=self.phones.numbers(),
            organisation_id=organisation_id,
            function=self.function.text(),
            group_ids=self.groups.checked_ids(),
            preferred_language=str(self.language.currentData()),
            notes=self.notes.toPlainText(),
            new_consents=self.consent.pending(),
            street=self.street.text(),
            postcode=self.postcode.text(),
            city=self.city.text(),
            country=self.country.text(),
            address_private=bool(self.address_kind.currentData()),
        )

    # -- validation ------------------------------------------------------------------------

    def errors(self) -> list[FieldError]:
        errors = validate_person(self.values())
        understood, _id = combo_value(self.organisation)
        if not understood:
            errors.append(
                FieldError(
                    "organisation",
                    _("Choose an organisation from the list, or leave the field empty."),
                )
            )
        return errors

    def _validate(self) -> None:
        errors = self.errors()
        shown = self._shown

        def message(field: str, key: str) -> str:
            return next((e.message for e in errors if e.field == field and key in shown), "")

        show_error(self.last_name_error, message("last_name", "last_name"))
        show_error(self.organisation_error, message("organisation", "organisation"))
        show_error(self.postcode_error, message("postcode", "postcode"))
        email_errors = {
            e.index: e.message
            for e in errors
            if e.field == "emails" and e.index is not None and f"emails:{e.index}" in shown
        }
        self.emails.set_errors(email_errors)
        self.save_button.setEnabled(not errors and not self._busy())
        self.save_button.setToolTip(errors[0].message if errors else "")

    def _error_keys(self) -> set[str]:
        return {
            "last_name",
            "organisation",
            "postcode",
            *(f"emails:{n}" for n in range(len(self.emails.rows))),
        }
