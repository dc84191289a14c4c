"""Read-only details of the selected person, straight from the ``PersonRow`` already loaded."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.enums import Salutation
from app.i18n import N_, _
from app.services.directory_rows import PersonRow
from app.services.postal import AddressSource
from ui.network.models import CONSENT_SYMBOLS, consent_text, consent_tone
from ui.palette import set_tone

SALUTATION_LABELS = {
    Salutation.FRAU: N_("Ms"),
    Salutation.HERR: N_("Mr"),
    Salutation.NONE: N_("none"),
}
LANGUAGE_LABELS = {"de": N_("German"), "en": N_("English")}


def _value_label() -> QLabel:
    label = QLabel()
    # Names and notes are user data: plain text, never interpreted as HTML.
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label


def address_text(person: PersonRow) -> str:
    """The postal address letters use, and whose it is; a dash when there is none."""
    address = person.address
    if address is None:
        # Translators: person details, when no postal address is known (for letters).
        return _("— (no usable postal address)")
    lines = [address.street, address.town, address.country.upper() if address.abroad else ""]
    where = {
        AddressSource.PRIVATE: _("private address"),
        AddressSource.WORK: _("own work address"),
        AddressSource.ORGANISATION: _("the organisation’s address"),
    }[address.source]
    return "{address}\n({where})".format(
        address="\n".join(line for line in lines if line), where=where
    )


class PersonDetails(QStackedWidget):
    """Shows one person; an explanatory text while nobody is selected."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._placeholder = QLabel(_("Select a person to see the details."))
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._placeholder.setEnabled(False)
        self.addWidget(self._placeholder)

        self._name = _value_label()
        self._name.setObjectName("personName")
        font = self._name.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self._name.setFont(font)
        self._values: dict[str, QLabel] = {}

        left = QFormLayout()
        right = QFormLayout()
        for form in (left, right):
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, title in (
            ("salutation", N_("Salutation:")),
            ("organisation", N_("Organisation:")),
            ("function", N_("Function:")),
            ("emails", N_("E-mail:")),
            ("phones", N_("Phone:")),
            ("address", N_("Letters go to:")),
        ):
            self._values[key] = _value_label()
            left.addRow(_(title), self._values[key])
        for key, title in (
            ("groups", N_("Groups:")),
            ("quarters", N_("Quarters:")),
            ("language", N_("Language:")),
            ("consent_contact", N_("Contact data stored:")),
            ("consent_email", N_("E-mail invitations:")),
            ("consent_photos", N_("Photos:")),
        ):
            self._values[key] = _value_label()
            right.addRow(_(title), self._values[key])

        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addSpacing(24)
        columns.addLayout(right, 2)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self._name)
        layout.addLayout(columns)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        self.addWidget(scroll)

    def show_person(self, person: PersonRow | None) -> None:
        if person is None:
            self.setCurrentIndex(0)
            return
        self._name.setText(person.name)
        values = self._values
        values["salutation"].setText(_(SALUTATION_LABELS[person.salutation]))
        values["organisation"].setText(person.organisation or "—")
        values["function"].setText(person.function or "—")
        emails = [
            _("{address} (preferred)").format(address=address)
            if address == person.preferred_email and len(person.emails) > 1
            else address
            for address in person.emails
        ]
        values["emails"].setText("\n".join(emails) or "—")
        values["phones"].setText("\n".join(person.phones) or "—")
        values["address"].setText(address_text(person))
        values["groups"].setText(", ".join(person.groups) or "—")
        values["quarters"].setText(", ".join(person.quarters) or "—")
        language = LANGUAGE_LABELS.get(person.preferred_language)
        values["language"].setText(_(language) if language else person.preferred_language)
        for key, given in (
            ("consent_contact", person.contact_consent),
            ("consent_email", person.email_consent),
            ("consent_photos", person.photo_consent),
        ):
            label = values[key]
            label.setText(f"{CONSENT_SYMBOLS[given]} {consent_text(given)}")
            set_tone(label, consent_tone(given))
        self.setCurrentIndex(1)

    def value(self, key: str) -> str:
        """The text shown for a field (tests, accessibility)."""
        return self._name.text() if key == "name" else self._values[key].text()
