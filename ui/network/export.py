"""File ▸ Export contacts…: all people, the people shown (search/organisation filter) or the
selected ones, to .csv / .xlsx / .vcf, written in the background by ``export_people``."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, format_number, ngettext

if TYPE_CHECKING:
    from ui.network.page import NetworkPage

# Filter text → suffix, in the order the file dialog offers them.
FORMATS: tuple[tuple[str, str], ...] = (
    ("CSV (*.csv)", ".csv"),
    ("Excel (*.xlsx)", ".xlsx"),
    ("vCard (*.vcf)", ".vcf"),
)


def file_filter() -> str:
    return ";;".join(name for name, _suffix in FORMATS)


def export_path(name: str, selected_filter: str) -> Path:
    """The chosen name, with the suffix of the chosen format when the user typed none."""
    path = Path(name)
    if path.suffix.lower() in {suffix for _name, suffix in FORMATS}:
        return path
    suffix = next((s for f, s in FORMATS if f == selected_filter), ".csv")
    return path.with_name(path.name + suffix)


class Scope(enum.Enum):
    ALL = "all"
    SHOWN = "shown"
    SELECTED = "selected"


@dataclass(frozen=True, slots=True)
class PeopleInView:
    """What the people list holds right now, for choosing what to export."""

    total: int
    shown: tuple[int, ...]  # ids in the list's order, after search and organisation filter
    selected: tuple[int, ...]

    @property
    def filtered(self) -> bool:
        return len(self.shown) != self.total

    def ids(self, scope: Scope) -> tuple[int, ...] | None:
        """Ids for ``export_people``; None means everyone (not archived)."""
        if scope is Scope.SHOWN:
            return self.shown
        if scope is Scope.SELECTED:
            return self.selected
        return None


def people_in_view(page: NetworkPage) -> PeopleInView:
    model = page.people_model()
    shown = tuple(model.shown_ids())
    selection = page.people_view.selectionModel()
    rows: set[int] = set()
    if selection is not None:
        # From the ranges: selectedRows() asks flags() for every selected cell.
        for number in range(selection.selection().size()):
            part = selection.selection().at(number)
            rows.update(range(part.top(), part.bottom() + 1))
    selected = tuple(model.id_at(row) for row in sorted(rows))
    return PeopleInView(model.total_count(), shown, selected)


class ExportScopeDialog(QDialog):
    """Asks which people to export when the list is filtered or people are selected."""

    def __init__(self, view: PeopleInView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportScopeDialog")
        self.setWindowTitle(_("Export contacts"))
        self._buttons = QButtonGroup(self)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Which people do you want to export?")))
        choices: list[tuple[Scope, str, int]] = [
            (Scope.ALL, _("All people"), view.total),
        ]
        if view.filtered:
            choices.append((Scope.SHOWN, _("The people shown in the list"), len(view.shown)))
        if view.selected:
            choices.append((Scope.SELECTED, _("The selected people"), len(view.selected)))
        self.radios: dict[Scope, QRadioButton] = {}
        for scope, label, count in choices:
            people = ngettext("{count} person", "{count} people", count).format(
                count=format_number(count)
            )
            # Translators: an export choice with how many people it writes.
            radio = QRadioButton(_("{choice} ({people})").format(choice=label, people=people))
            radio.setObjectName(f"scope-{scope.value}")
            self._buttons.addButton(radio)
            self.radios[scope] = radio
            layout.addWidget(radio)
        # The narrowest choice first: a selection or a filter is usually made for a reason.
        self.radios[choices[-1][0]].setChecked(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def scope(self) -> Scope:
        return next(s for s, radio in self.radios.items() if radio.isChecked())


def ask_scope(parent: QWidget, view: PeopleInView) -> Scope | None:
    """All people straight away when there is nothing narrower; otherwise ask."""
    if not view.filtered and not view.selected:
        return Scope.ALL
    dialog = ExportScopeDialog(view, parent)
    return dialog.scope() if dialog.exec() == QDialog.DialogCode.Accepted else None


def exported_message(count: int, path: Path) -> str:
    return ngettext(
        "{count} person exported to {name}.", "{count} people exported to {name}.", count
    ).format(count=format_number(count), name=path.name)


def chosen_ids(view: PeopleInView, scope: Scope) -> Sequence[int] | None:
    return view.ids(scope)
