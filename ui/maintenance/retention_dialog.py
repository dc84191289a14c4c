"""Retention review: people without activity for longer than the retention period.

The user decides per person: erase (opens the erasure dialog, via ``erasure_requested``) or
keep (``retention_review.mark_reviewed``: off the list for another period). The period in
months is set here too. Nobody is erased without the erasure dialog's confirmation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.i18n import N_, _, format_date
from app.services.retention import (
    MAX_MONTHS,
    MIN_MONTHS,
    ReviewRow,
    retention_months,
    set_retention_months,
)
from app.services.retention_review import mark_reviewed, people_to_review
from ui.tasks import TaskRunner
from ui.widgets.error_box import error_text
from ui.widgets.sizing import resize_within_screen
from ui.widgets.tables import Column, RowTableModel, TableView

REVIEW_COLUMNS = (
    Column(N_("Name"), lambda r: r.name, width=24, stretch=True),
    Column(N_("Organisation"), lambda r: r.organisation or "", width=24),
    Column(
        N_("Last activity"),
        lambda r: format_date(r.last_activity.astimezone().date()),
        sort_key=lambda r: r.last_activity,
        width=12,
    ),
    Column(N_("Archived"), lambda r: _("yes") if r.archived else "", width=8),
)


class ReviewModel(RowTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(REVIEW_COLUMNS, parent)


@dataclass(frozen=True)
class ReviewData:
    months: int
    rows: list[ReviewRow]


def load_review(db: Database, now: datetime) -> ReviewData:
    """Worker: the period and the list in one go."""
    return ReviewData(retention_months(db), people_to_review(db, now))


def save_period_and_load(db: Database, months: int, now: datetime) -> ReviewData:
    set_retention_months(db, months)
    return load_review(db, now)


class RetentionDialog(QDialog):
    """Signals:
    erasure_requested(int): the user wants to erase this person (the controller asks).
    loaded(int): the list is shown (how many people).
    """

    erasure_requested = Signal(int)
    loaded = Signal(int)

    def __init__(
        self,
        runner: TaskRunner,
        db: Database,
        clock: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("retentionDialog")
        self.setWindowTitle(_("Retention review"))
        self._runner = runner
        self._db = db
        self._clock = clock
        intro = QLabel(
            _(
                "People without any activity (invitation, attendance, task, e-mail, change) "
                "for longer than the retention period. Decide for each: erase, or keep for "
                "another period."
            )
        )
        intro.setWordWrap(True)
        self.months = QSpinBox()
        self.months.setObjectName("retentionMonths")
        self.months.setAccessibleName(_("Retention period"))
        self.months.setRange(MIN_MONTHS, MAX_MONTHS)
        self.months.setSuffix(" " + _("months"))
        self.apply_button = QPushButton(_("Apply"))
        self.apply_button.setObjectName("applyPeriod")
        self.apply_button.clicked.connect(self.apply_period)
        self.model = ReviewModel(self)
        self.view = TableView(self.model, "reviewView", empty_text=_("Nobody is due for review."))
        self.view.setAccessibleName(_("Due for review"))
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._update())
        self.status = QLabel()
        self.status.setObjectName("reviewStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.erase_button = QPushButton(_("Erase…"))
        self.erase_button.setObjectName("eraseSelected")
        self.erase_button.clicked.connect(self._erase)
        self.keep_button = QPushButton(_("Keep (reviewed)"))
        self.keep_button.setObjectName("keepSelected")
        self.keep_button.clicked.connect(self._keep)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)

        period = QHBoxLayout()
        period.addWidget(QLabel(_("Retention period:")))
        period.addWidget(self.months)
        period.addWidget(self.apply_button)
        period.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.erase_button)
        buttons.addWidget(self.keep_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(period)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        resize_within_screen(self, 760, 480)
        self._update()
        self.refresh()

    def refresh(self) -> None:
        self._run(load_review, self._db, self._clock())

    def apply_period(self) -> None:
        self._run(save_period_and_load, self._db, self.months.value(), self._clock())

    def _run(self, fn: Callable[..., ReviewData], *args: object) -> None:
        self._runner.run(fn, *args, key="retention", on_done=self._show, on_error=self._failed)

    def _show(self, data: ReviewData) -> None:
        self.months.setValue(data.months)
        self.model.set_rows(data.rows)
        self.status.setText(
            _("{count} people due for review (retention period {months} months).").format(
                count=len(data.rows), months=data.months
            )
        )
        self._update()
        self.loaded.emit(len(data.rows))

    def _failed(self, error: BaseException) -> None:
        self.status.setText(error_text(error))

    def _selected(self) -> ReviewRow | None:
        row: ReviewRow | None = self.view.selected_row()
        return row

    def _update(self) -> None:
        chosen = self._selected() is not None
        self.erase_button.setEnabled(chosen)
        self.keep_button.setEnabled(chosen)

    def _erase(self) -> None:
        row = self._selected()
        if row is not None:
            self.erasure_requested.emit(row.person_id)

    def _keep(self) -> None:
        row = self._selected()
        if row is None:
            return
        self._runner.run(
            mark_reviewed,
            self._db,
            [row.person_id],
            self._clock(),
            key="retention-keep",
            on_done=lambda _none: self.refresh(),
            on_error=self._failed,
            owner=self,
        )
