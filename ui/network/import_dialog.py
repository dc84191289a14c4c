"""File ▸ Import contacts…: choose a file, correct the column mapping, import, see the result.

Pages of one dialog: busy (reading or importing, with cancel) → preview (format, mapping,
first rows, rows that cannot be imported) → result. Reading, checking the rows, planning and
writing all run on the task runner; the import itself is one transaction in
``app.contacts.apply_import``, so cancelling before it starts writes nothing at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.contacts import (
    EmptySheetError,
    Field,
    ImportMappingError,
    ImportPlan,
    ImportPreview,
    ImportResult,
    RejectedRow,
    SourceFormat,
    apply_import,
    check_rows,
    plan_import,
    preview_import,
    row_label,
)
from app.contacts.cell_warnings import CellWarning
from app.contacts.importing import entity_summary
from app.db import Database
from app.i18n import _, format_number, ngettext
from app.services.duplicates import DuplicateGroup, find_duplicates
from ui.network.import_models import (
    FieldDelegate,
    MappingModel,
    PreviewModel,
    RejectedModel,
    rejected_lines,
)
from ui.palette import Tone, set_tone
from ui.tasks import TaskHandle, TaskRunner
from ui.widgets.error_box import error_text
from ui.widgets.sizing import resize_within_screen
from ui.widgets.tables import TableView

FILE_PATTERNS = "*.csv *.txt *.tsv *.xlsx *.xlsm *.vcf *.vcard"


def file_filter() -> str:
    return ";;".join(
        (
            _("Contacts") + f" ({FILE_PATTERNS})",
            "CSV (*.csv *.txt *.tsv)",
            "Excel (*.xlsx *.xlsm)",
            "vCard (*.vcf *.vcard)",
            _("All files") + " (*)",
        )
    )


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    result: ImportResult
    duplicates: tuple[DuplicateGroup, ...]  # groups touching the people just imported


@dataclass(frozen=True, slots=True)
class RowCheck:
    valid: int
    rejected: tuple[RejectedRow, ...]
    plan: ImportPlan | None  # the forecast; None when no column is imported as a name
    warnings: tuple[CellWarning, ...] = ()  # imported, but worth a look


def check_task(db: Database, preview: ImportPreview, mapping: tuple[Field | None, ...]) -> RowCheck:
    """Worker thread: check the rows under *mapping* and forecast the changes (a dry run)."""
    warnings = preview.warnings(mapping)
    try:
        plan = plan_import(db, preview, mapping)
    except ImportMappingError:
        records, rejected = check_rows(preview, mapping)  # every row: "no name"
        return RowCheck(len(records), rejected, None, warnings)
    return RowCheck(plan.importable, plan.rejected, plan, warnings)


# How many values to check the dialog lists (the preview tints every one it shows).
LISTED_WARNINGS = 5


def warnings_text(source_format: SourceFormat, warnings: Sequence[CellWarning]) -> str:
    """ "Bitte prüfen:" and one line per value, the first few of them."""
    lines = [
        f"{row_label(source_format, item.row)}: {item.message}"
        for item in warnings[:LISTED_WARNINGS]
    ]
    if len(warnings) > LISTED_WARNINGS:
        more = len(warnings) - LISTED_WARNINGS
        lines.append(ngettext("… and {count} more", "… and {count} more", more).format(count=more))
    return "\n".join([_("Please check:"), *lines])


def import_task(
    handle: TaskHandle,
    db: Database,
    preview: ImportPreview,
    mapping: tuple[Field | None, ...],
    strict: bool,
) -> ImportOutcome:
    """Worker thread: plan, then (unless cancelled meanwhile) write in one transaction."""
    handle.progress(0, 3, _("Comparing with the directory…"))
    plan = plan_import(db, preview, mapping)
    handle.raise_if_cancelled()  # the last moment at which cancelling writes nothing
    handle.progress(1, 3, _("Saving…"))
    result = apply_import(db, plan, strict=strict)
    handle.progress(2, 3, _("Looking for likely duplicates…"))
    touched = (*result.created_ids, *result.updated_ids)
    duplicates = tuple(find_duplicates(db, touched)) if touched else ()
    return ImportOutcome(result, duplicates)


def read_preview(path: Path, sheet: str | None) -> ImportPreview:
    return preview_import(path, sheet=sheet)


def _bold(text: str = "") -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class ImportDialog(QDialog):
    """The contacts import for an open, writable database.

    Signals:
        preview_shown(): a file was read and its preview is on screen.
        checked(): the rows were checked against the current mapping (counts updated).
        imported(object): the ``ImportResult`` of a finished import (the directory changed).
        failed(str): a message shown instead of a preview or a result.
        duplicates_requested(object): the user wants to review these ``DuplicateGroup``s.
    """

    preview_shown = Signal()
    checked = Signal()
    imported = Signal(object)
    failed = Signal(str)
    duplicates_requested = Signal(object)

    BUSY, MESSAGE, PREVIEW, RESULT = range(4)

    def __init__(self, runner: TaskRunner, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(_("Import contacts"))
        resize_within_screen(self, 1100, 720)
        self._runner = runner
        self._db = db
        self._preview: ImportPreview | None = None
        self._handle: TaskHandle | None = None
        self._importing = False
        self._valid = 0
        self._rejected: tuple[RejectedRow, ...] = ()
        self._forecast: ImportPlan | None = None
        self._outcome: ImportOutcome | None = None

        self.mapping_model = MappingModel(self)
        self.mapping_model.mapping_changed.connect(self._recheck)
        self.preview_model = PreviewModel(self)
        self.rejected_model = RejectedModel(self)
        self.result_rejected_model = RejectedModel(self)

        self._pages = QStackedWidget()
        self._pages.addWidget(self._build_busy_page())
        self._pages.addWidget(self._build_message_page())
        self._pages.addWidget(self._build_preview_page())
        self._pages.addWidget(self._build_result_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self._pages)

    # -- pages ---------------------------------------------------------------------------------

    def _build_busy_page(self) -> QWidget:
        page = QWidget()
        self.busy_label = _bold()
        self.busy_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.busy_cancel = QPushButton(_("Cancel"))
        self.busy_cancel.setObjectName("busyCancel")
        self.busy_cancel.clicked.connect(self._cancel_task)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.busy_label)
        layout.addWidget(self.progress)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.busy_cancel)
        layout.addLayout(row)
        layout.addStretch(2)
        return page

    def _build_message_page(self) -> QWidget:
        page = QWidget()
        self.message_title = _bold()
        self.message_label = QLabel()
        self.message_label.setObjectName("importMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A workbook whose first sheet holds no contacts: another sheet may.
        self.other_sheet_choice = QComboBox()
        self.other_sheet_choice.setObjectName("otherSheetChoice")
        self.read_sheet_button = QPushButton(_("Read this sheet"))
        self.read_sheet_button.setObjectName("readSheet")
        self.read_sheet_button.clicked.connect(self._read_other_sheet)
        self._other_sheets = QWidget()
        sheets = QHBoxLayout(self._other_sheets)
        sheets.setContentsMargins(0, 0, 0, 0)
        sheet_label = QLabel(_("Sheet:"))
        sheet_label.setBuddy(self.other_sheet_choice)
        sheets.addWidget(sheet_label)
        sheets.addWidget(self.other_sheet_choice, 1)
        sheets.addWidget(self.read_sheet_button)
        self._other_sheets.hide()
        self._failed_path: Path | None = None
        another = QPushButton(_("Choose another file…"))
        another.clicked.connect(self.choose_file)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.message_title)
        layout.addWidget(self.message_label)
        layout.addWidget(self._other_sheets)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(another)
        row.addWidget(close)
        layout.addLayout(row)
        layout.addStretch(2)
        return page

    def _build_preview_page(self) -> QWidget:
        page = QWidget()
        self.file_label = _bold()
        self.file_label.setTextFormat(Qt.TextFormat.PlainText)
        self.format_label = QLabel()
        self.format_label.setObjectName("formatLabel")
        self.format_label.setWordWrap(True)
        self.format_label.setTextFormat(Qt.TextFormat.PlainText)
        self.sheet_label = QLabel(_("Sheet:"))
        self.sheet_choice = QComboBox()
        self.sheet_choice.setObjectName("sheetChoice")
        self.sheet_choice.activated.connect(self._sheet_chosen)
        self.sheet_label.setBuddy(self.sheet_choice)

        self.mapping_view = QTableView()
        self.mapping_view.setObjectName("mappingView")
        self.mapping_view.setAccessibleName(_("Columns and what they are imported as"))
        self.mapping_view.setModel(self.mapping_model)
        self.mapping_view.setItemDelegate(FieldDelegate(self.mapping_view))
        self.mapping_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.mapping_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.mapping_view.setEditTriggers(
            QAbstractItemView.EditTrigger.CurrentChanged
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.mapping_view.verticalHeader().hide()
        self.mapping_view.verticalHeader().setDefaultSectionSize(28)
        self.mapping_view.setWordWrap(False)
        header = self.mapping_view.horizontalHeader()
        header.setStretchLastSection(True)
        metrics = self.fontMetrics()
        self.mapping_view.setColumnWidth(0, metrics.horizontalAdvance("n" * 22))
        self.mapping_view.setColumnWidth(1, metrics.horizontalAdvance("n" * 20) + 30)

        self.preview_view = QTableView()
        self.preview_view.setObjectName("previewView")
        self.preview_view.setAccessibleName(_("Preview"))
        self.preview_view.setModel(self.preview_model)
        self.preview_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_view.setWordWrap(False)
        self.preview_view.setAlternatingRowColors(True)
        self.preview_view.horizontalHeader().setDefaultSectionSize(
            metrics.horizontalAdvance("n" * 16)
        )
        self.preview_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive
        )
        self.preview_view.verticalHeader().setDefaultSectionSize(metrics.height() + 8)

        self.summary_label = _bold()
        self.summary_label.setObjectName("checkSummary")
        self.warnings_label = QLabel()
        self.warnings_label.setObjectName("importWarnings")
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setTextFormat(Qt.TextFormat.PlainText)
        self.warnings_label.hide()
        self.rejected_view = TableView(
            self.rejected_model, "rejectedView", empty_text=_("Every row can be imported.")
        )
        self.rejected_view.setAccessibleName(_("Rows that cannot be imported"))

        mapping_box = QWidget()
        left = QVBoxLayout(mapping_box)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(_bold(_("Columns and what they are imported as")))
        hint = QLabel(_("Click a field to change it; “(do not import)” skips the column."))
        hint.setWordWrap(True)
        left.addWidget(hint)
        left.addWidget(self.mapping_view)

        rows_box = QWidget()
        right = QVBoxLayout(rows_box)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(_bold(_("The first rows of the file")))
        right.addWidget(self.preview_view)

        rejected_box = QWidget()
        bottom = QVBoxLayout(rejected_box)
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.summary_label)
        bottom.addWidget(self.warnings_label)
        bottom.addWidget(self.rejected_view)

        upper = QSplitter(Qt.Orientation.Horizontal)
        upper.addWidget(mapping_box)
        upper.addWidget(rows_box)
        upper.setStretchFactor(0, 2)
        upper.setStretchFactor(1, 3)
        upper.setSizes([440, 620])
        upper.setChildrenCollapsible(False)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(rejected_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([460, 160])
        split.setChildrenCollapsible(False)

        self.empty_columns_box = QCheckBox(_("Show empty columns"))
        self.empty_columns_box.setObjectName("showEmptyColumns")
        self.empty_columns_box.toggled.connect(self._show_empty_columns)
        left.addWidget(self.empty_columns_box)

        self.strict_box = QCheckBox(_("Import nothing if any row cannot be imported"))
        self.strict_box.setObjectName("strictImport")
        self.preview_error = QLabel()
        self.preview_error.setObjectName("previewError")
        self.preview_error.setWordWrap(True)
        self.preview_error.setTextFormat(Qt.TextFormat.PlainText)
        set_tone(self.preview_error, Tone.NEGATIVE)
        self.preview_error.hide()

        another = QPushButton(_("Choose another file…"))
        another.setObjectName("chooseAnother")
        another.clicked.connect(self.choose_file)
        cancel = QPushButton(_("Cancel"))
        cancel.clicked.connect(self.reject)
        self.import_button = QPushButton(_("Import"))
        self.import_button.setObjectName("importButton")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start_import)

        top = QGridLayout()
        top.addWidget(self.file_label, 0, 0)
        top.addWidget(self.format_label, 1, 0)
        top.addWidget(self.sheet_label, 0, 1, 2, 1, Qt.AlignmentFlag.AlignRight)
        top.addWidget(self.sheet_choice, 0, 2, 2, 1)
        top.setColumnStretch(0, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(another)
        buttons.addWidget(self.strict_box)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.import_button)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.preview_error)
        layout.addLayout(buttons)
        return page

    def _build_result_page(self) -> QWidget:
        page = QWidget()
        self.result_title = _bold()
        self.result_title.setObjectName("resultTitle")
        self.result_title.setWordWrap(True)
        self.result_counts = QLabel()
        self.result_counts.setObjectName("resultCounts")
        self.result_counts.setWordWrap(True)
        self.result_counts.setTextFormat(Qt.TextFormat.PlainText)
        self.result_rejected_view = TableView(
            self.result_rejected_model,
            "resultRejectedView",
            empty_text=_("Every row was imported."),
        )
        self.result_rejected_view.setAccessibleName(_("Rows that cannot be imported"))
        self.duplicates_label = QLabel()
        self.duplicates_label.setObjectName("duplicatesFound")
        self.duplicates_label.setWordWrap(True)
        self.duplicates_button = QPushButton(_("Review duplicates…"))
        self.duplicates_button.setObjectName("reviewDuplicates")
        self.duplicates_button.clicked.connect(self._review_duplicates)
        self.close_button = close = QPushButton(_("Close"))
        close.setObjectName("closeResult")
        close.clicked.connect(self.accept)

        layout = QVBoxLayout(page)
        layout.addWidget(self.result_title)
        layout.addWidget(self.result_counts)
        layout.addWidget(_bold(_("Not imported")))
        layout.addWidget(self.result_rejected_view, 1)
        duplicates = QHBoxLayout()
        duplicates.addWidget(self.duplicates_label, 1)
        duplicates.addWidget(self.duplicates_button)
        layout.addLayout(duplicates)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        return page

    def page(self) -> int:
        return self._pages.currentIndex()

    # -- reading -------------------------------------------------------------------------------

    def choose_file(self) -> None:
        directory = str(self._preview.path.parent) if self._preview else ""
        name, _selected = QFileDialog.getOpenFileName(
            self, _("Import contacts"), directory, file_filter()
        )
        if name:
            self.open_file(Path(name))
        elif self._preview is None:
            self.reject()

    def open_file(self, path: Path, sheet: str | None = None) -> None:
        """Read *path* in the background and show its preview."""
        self._show_busy(_("Reading {name}…").format(name=path.name), cancellable=True)
        self._handle = self._runner.run(
            read_preview,
            path,
            sheet,
            key="contacts-import",
            on_done=self._show_preview,
            on_error=lambda error: self._read_failed(path, error),
            owner=self,
        )

    def _read_failed(self, path: Path, error: BaseException) -> None:
        self._handle = None
        self._failed_path = path
        self.other_sheet_choice.clear()
        if isinstance(error, EmptySheetError):
            self.other_sheet_choice.addItems([s for s in error.sheets if s != error.sheet])
        self._other_sheets.setVisible(self.other_sheet_choice.count() > 0)
        self._show_message(_("{name} cannot be imported").format(name=path.name), error_text(error))

    def _read_other_sheet(self) -> None:
        if self._failed_path is not None and self.other_sheet_choice.currentText():
            self.open_file(self._failed_path, self.other_sheet_choice.currentText())

    def _show_message(self, title: str, text: str) -> None:
        self.message_title.setText(title)
        self.message_label.setText(text)
        self._pages.setCurrentIndex(self.MESSAGE)
        self.failed.emit(text)

    def _show_preview(self, preview: ImportPreview) -> None:
        self._handle = None
        self._preview = preview
        self.file_label.setText(str(preview.path.name))
        self.file_label.setToolTip(str(preview.path))
        rows = ngettext("{count} row", "{count} rows", len(preview.rows)).format(
            count=format_number(len(preview.rows))
        )
        facts = [preview.format_label, preview.layout_label, rows]
        if preview.header_row > 1:
            # Translators: the header of a table was found below a title, e.g. in row 4.
            facts.append(_("column names in row {row}").format(row=preview.header_row))
        self.format_label.setText(" · ".join(facts))
        self.sheet_choice.clear()
        self.sheet_choice.addItems(list(preview.sheets))
        if preview.sheet:
            self.sheet_choice.setCurrentText(preview.sheet)
        several = len(preview.sheets) > 1
        self.sheet_label.setVisible(several)
        self.sheet_choice.setVisible(several)
        self.mapping_model.set_preview(preview)
        self.preview_model.set_preview(preview)
        self.preview_view.horizontalHeader().resizeSections(QHeaderView.ResizeMode.Interactive)
        self._show_empty_columns(self.empty_columns_box.isChecked())
        self.preview_error.hide()
        self._pages.setCurrentIndex(self.PREVIEW)
        self.mapping_view.setFocus()
        self.preview_shown.emit()
        self._recheck()

    def _show_empty_columns(self, shown: bool) -> None:
        """Columns without a single value are hidden unless asked for (unless mapped)."""
        for column in range(self.mapping_model.rowCount()):
            hidden = (
                not shown
                and self.mapping_model.is_empty(column)
                and self.mapping_model.mapping()[column] is None
            )
            self.mapping_view.setRowHidden(column, hidden)
            self.preview_view.setColumnHidden(column, hidden)

    def _sheet_chosen(self, _number: int) -> None:
        if self._preview is not None and self.sheet_choice.currentText() != self._preview.sheet:
            self.open_file(self._preview.path, self.sheet_choice.currentText())

    # -- checking the rows ---------------------------------------------------------------------

    def _recheck(self) -> None:
        if self._preview is None:
            return
        mapping = self.mapping_model.mapping()
        self.summary_label.setText(_("Checking the rows…"))
        self.import_button.setEnabled(False)
        self.preview_error.hide()
        self._runner.run(
            check_task,
            self._db,
            self._preview,
            mapping,
            key="contacts-import-check",
            on_done=lambda check: self._show_check(mapping, check),
            on_error=self._check_failed,
            owner=self,
        )

    def _show_check(self, mapping: tuple[Field | None, ...], check: RowCheck) -> None:
        assert self._preview is not None
        rejected = check.rejected
        self._valid, self._rejected = check.valid, rejected
        self._forecast = check.plan
        self.preview_model.set_check(mapping, rejected, check.warnings)
        self.warnings_label.setText(warnings_text(self._preview.format, check.warnings))
        self.warnings_label.setVisible(bool(check.warnings))
        self.rejected_model.set_rows(rejected_lines(self._preview.format, rejected))
        valid = ngettext(
            "{count} row can be imported", "{count} rows can be imported", check.valid
        ).format(count=format_number(check.valid))
        if check.plan is not None:
            valid += " " + _("({created} new, {updated} updated, {unchanged} unchanged)").format(
                created=format_number(check.plan.created),
                updated=format_number(check.plan.updated),
                unchanged=format_number(check.plan.unchanged),
            )
            if check.plan.entity_outcome.total:
                valid += "; " + entity_summary(check.plan.entity_outcome)
        if rejected:
            bad = ngettext("{count} cannot:", "{count} cannot:", len(rejected)).format(
                count=format_number(len(rejected))
            )
            self.summary_label.setText(f"{valid}; {bad}")
        else:
            self.summary_label.setText(valid)
        self.import_button.setEnabled(check.valid > 0)
        self.checked.emit()

    def _check_failed(self, error: BaseException) -> None:
        self.summary_label.setText(error_text(error))
        self.import_button.setEnabled(False)
        self.checked.emit()

    def valid_count(self) -> int:
        return self._valid

    def forecast(self) -> ImportPlan | None:
        """What importing would do now (the dry run), or None while no column holds a name."""
        return self._forecast

    def rejected_rows(self) -> tuple[RejectedRow, ...]:
        return self._rejected

    # -- importing -----------------------------------------------------------------------------

    def start_import(self) -> None:
        if self._preview is None or self._importing:
            return
        self._importing = True
        self._show_busy(
            _("Importing {name}…").format(name=self._preview.path.name), cancellable=True
        )
        self.progress.setRange(0, 3)
        self.progress.setValue(0)
        self._handle = self._runner.run(
            import_task,
            self._db,
            self._preview,
            self.mapping_model.mapping(),
            self.strict_box.isChecked(),
            with_handle=True,
            key="contacts-import",
            on_done=self._show_result,
            on_error=self._import_failed,
            on_progress=self._import_progress,
            # Cancelled too late: the transaction ran, so the result is real. Show it.
            on_discard=self._show_result,
        )

    def _import_progress(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.busy_label.setText(text)
        if done >= 1:
            # Writing has begun: one transaction, which ends on its own within moments.
            self.busy_cancel.setEnabled(False)

    def _import_failed(self, error: BaseException) -> None:
        self._importing = False
        self._handle = None
        message = error_text(error)
        self._pages.setCurrentIndex(self.PREVIEW)
        self.preview_error.setText(message)
        self.preview_error.show()
        self.failed.emit(message)

    def _show_result(self, outcome: ImportOutcome) -> None:
        self._importing = False
        self._handle = None
        self._outcome = outcome
        result = outcome.result
        self.result_title.setText(
            _("{name} was imported.").format(name=self._preview.path.name if self._preview else "")
        )
        lines = [
            _("Created: {count}").format(count=format_number(result.created)),
            _("Updated: {count}").format(count=format_number(result.updated)),
            _("Unchanged: {count}").format(count=format_number(result.unchanged)),
            _("Not imported: {count}").format(count=format_number(len(result.rejected))),
        ]
        if result.entities.total:
            lines.append(entity_summary(result.entities))
        news = [
            (_("New organisations: {names}"), result.new_organisations),
            (_("New groups: {names}"), result.new_groups),
            (_("New quarters: {names}"), result.new_quarters),
        ]
        if result.merged:
            lines.append(
                _("Rows about a person already named earlier in the file: {count}").format(
                    count=format_number(result.merged)
                )
            )
        text = "\n".join(lines)
        for template, names in news:
            if names:
                text += "\n" + template.format(names=", ".join(names))
        self.result_counts.setText(text)
        self.result_rejected_model.set_rows(rejected_lines(result.format, result.rejected))
        groups = len(outcome.duplicates)
        if groups:
            self.duplicates_label.setText(
                ngettext(
                    "{count} group of likely duplicates involves people from this file.",
                    "{count} groups of likely duplicates involve people from this file.",
                    groups,
                ).format(count=format_number(groups))
            )
        else:
            self.duplicates_label.setText(_("No likely duplicates found."))
        self.duplicates_button.setVisible(bool(groups))
        self._pages.setCurrentIndex(self.RESULT)
        self.close_button.setDefault(True)  # Enter closes; the preview's Import is gone
        self.close_button.setFocus()
        self.imported.emit(result)

    def outcome(self) -> ImportOutcome | None:
        return self._outcome

    def _review_duplicates(self) -> None:
        if self._outcome is not None:
            self.duplicates_requested.emit(self._outcome.duplicates)

    # -- busy and cancel -----------------------------------------------------------------------

    def _show_busy(self, text: str, *, cancellable: bool) -> None:
        self.busy_label.setText(text)
        self.progress.setRange(0, 0)
        self.busy_cancel.setEnabled(cancellable)
        self._pages.setCurrentIndex(self.BUSY)

    def _cancel_task(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        if self._importing:
            self._importing = False
            self._pages.setCurrentIndex(self.PREVIEW)
            self.preview_error.setText(_("Import cancelled; nothing was saved."))
            self.preview_error.show()
        elif self._preview is not None:
            self._pages.setCurrentIndex(self.PREVIEW)
        else:
            self.reject()

    def reject(self) -> None:
        if self._importing:
            return  # the import finishes within moments; its result must be seen
        if self._handle is not None:
            self._handle.cancel()
        super().reject()
