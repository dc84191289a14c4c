"""The organisation dialog: create or edit one organisation and see its people.

Like the person dialog it never writes (``FormDialog``): Save emits ``save_requested`` with an
``OrganisationInput``; the page saves and answers with ``saved()`` or ``save_failed()``.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, ngettext
from app.models import OrganisationKind
from app.services.directory import ORGANISATION_KIND_LABELS
from app.services.directory_editing import (
    EditingChoices,
    FieldError,
    OrganisationForm,
    OrganisationInput,
    validate_organisation,
)
from app.text import sort_key
from ui.network.check_list import CheckList
from ui.network.contact_rows import error_label, show_error
from ui.network.form_dialog import FormDialog
from ui.widgets.sizing import resize_within_screen


class OrganisationDialog(FormDialog):
    """Signals: save_requested(object) with an ``OrganisationInput`` (see ``FormDialog``)."""

    def __init__(
        self,
        choices: EditingChoices,
        form: OrganisationForm | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("organisationDialog")
        self.form = form
        self._choices = choices

        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.name.setAccessibleName(_("Name"))
        self.name_error = error_label()
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        kinds = sorted(OrganisationKind, key=lambda k: sort_key(_(ORGANISATION_KIND_LABELS[k])))
        # "Other" last, however it sorts in the language shown.
        kinds.remove(OrganisationKind.OTHER)
        for kind in [*kinds, OrganisationKind.OTHER]:
            self.kind.addItem(_(ORGANISATION_KIND_LABELS[kind]), kind)
        self.quarters = CheckList(_("Filter quarters"))
        self.quarters.setObjectName("quarters")
        self.quarters.set_accessible_name(_("Quarters"))
        self.street = QLineEdit()
        self.street.setObjectName("street")
        self.postcode = QLineEdit()
        self.postcode.setObjectName("postcode")
        self.postcode.setAccessibleName(_("Postcode"))
        self.postcode.setMaximumWidth(90)
        self.city = QLineEdit()
        self.city.setObjectName("city")
        self.city.setAccessibleName(_("City"))
        self.website = QLineEdit()
        self.website.setObjectName("website")
        self.website.setPlaceholderText("https://")
        self.email = QLineEdit()
        self.email.setObjectName("email")
        self.email.setAccessibleName(_("E-mail address"))
        self.email_error = error_label()
        self.phone = QLineEdit()
        self.phone.setObjectName("phone")
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setTabChangesFocus(True)
        self.people_title = QLabel()
        self.people = QListView()
        self.people.setObjectName("organisationPeople")
        self.people.setAccessibleName(_("People"))
        self.people.setModel(QStringListModel(self))
        self.people.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

        self._build_layout()
        self.name.textChanged.connect(self._validate)
        self.email.textChanged.connect(self._validate)
        self.name.editingFinished.connect(lambda: self._show("name"))
        self.email.editingFinished.connect(lambda: self._show("email"))
        self.load(form)

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        name = QVBoxLayout()
        name.setSpacing(2)
        name.addWidget(self.name)
        name.addWidget(self.name_error)
        form.addRow(_("Name:"), name)
        form.addRow(_("Kind:"), self.kind)
        form.addRow(_("Street:"), self.street)
        place = QHBoxLayout()
        place.addWidget(self.postcode)
        place.addWidget(self.city, 1)
        form.addRow(_("Postcode, city:"), place)
        form.addRow(_("Website:"), self.website)
        email = QVBoxLayout()
        email.setSpacing(2)
        email.addWidget(self.email)
        email.addWidget(self.email_error)
        form.addRow(_("E-mail:"), email)
        form.addRow(_("Phone:"), self.phone)
        form.addRow(_("Notes:"), self.notes)

        side = QVBoxLayout()
        side.addWidget(QLabel(_("Quarters:")))
        side.addWidget(self.quarters, 1)
        side.addWidget(self.people_title)
        side.addWidget(self.people, 1)

        columns = QHBoxLayout()
        columns.addLayout(form, 3)
        columns.addSpacing(16)
        columns.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(self.form_error)
        layout.addWidget(self.buttons)
        resize_within_screen(self, 780, 480)
        # Down the form on the left, then the quarters and people on the right.
        order: list[QWidget] = [
            self.name,
            self.kind,
            self.street,
            self.postcode,
            self.city,
            self.website,
            self.email,
            self.phone,
            self.notes,
            self.quarters.filter_field,
            self.quarters.view,
            self.people,
            *self.buttons.buttons(),
        ]
        for before, after in pairwise(order):
            QWidget.setTabOrder(before, after)

    def load(self, form: OrganisationForm | None) -> None:
        self.form = form
        values = form.values if form else OrganisationInput(name="")
        self._shown.clear()
        self.name.setText(values.name)
        self.kind.setCurrentIndex(max(self.kind.findData(values.kind), 0))
        self.quarters.set_choices(self._choices.quarters, values.quarter_ids)
        self.street.setText(values.street)
        self.postcode.setText(values.postcode)
        self.city.setText(values.city)
        self.website.setText(values.website)
        self.email.setText(values.email)
        self.phone.setText(values.phone)
        self.notes.setPlainText(values.notes)
        people = list(form.people) if form else []
        model = self.people.model()
        assert isinstance(model, QStringListModel)
        model.setStringList(people)
        self.people_title.setText(
            ngettext("{count} person:", "{count} people:", len(people)).format(count=len(people))
        )
        self.people.setVisible(bool(people))
        if form is None:
            self.setWindowTitle(_("New organisation"))
        else:
            self.setWindowTitle(_("Edit {name}").format(name=values.name))
        show_error(self.form_error, "")
        self._validate()
        self._loaded_values = self.values()
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def values(self) -> OrganisationInput:
        return OrganisationInput(
            name=self.name.text(),
            kind=OrganisationKind(self.kind.currentData()),
            quarter_ids=self.quarters.checked_ids(),
            street=self.street.text(),
            postcode=self.postcode.text(),
            city=self.city.text(),
            website=self.website.text(),
            email=self.email.text(),
            phone=self.phone.text(),
            notes=self.notes.toPlainText(),
        )

    def _validate(self) -> None:
        errors = self.errors()
        for field, label in (("name", self.name_error), ("email", self.email_error)):
            message = next((e.message for e in errors if e.field == field), "")
            show_error(label, message if field in self._shown else "")
        self.save_button.setEnabled(not errors and self.buttons.isEnabled())
        self.save_button.setToolTip(errors[0].message if errors else "")

    def errors(self) -> list[FieldError]:
        return validate_organisation(self.values())

    def _error_keys(self) -> set[str]:
        return {"name", "email"}
