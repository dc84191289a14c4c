"""The figures page ("Auswertung"): a period, headline numbers, a chart, tables, exports.

The period defaults to the current funding year (the calendar year). Every change of the
period loads ``period_figures`` in the background (a newer request supersedes an older one);
the tables are the same ``FiguresTable``s the XLSX and PDF exports print
(``app.services.reporting.tables``), so window and report never disagree.

Ten years are 500 meetings: everything the page shows (cell texts, the overview, the bars of
every chart kind) is formatted on the worker (``shown_figures``); the GUI thread only hands the
prepared rows to the models and texts to labels it keeps (``_show``: ~10 ms).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QStandardPaths, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.i18n import N_, _, format_date, format_number
from app.services.reporting import PeriodFigures, period_figures
from app.services.reporting.tables import (
    Cell,
    FiguresTable,
    Kind,
    all_tables,
    organisation_label,
    overview,
)
from ui.attendance.bar_chart import Bar, BarChart
from ui.palette import Tone, set_tone
from ui.tasks import TaskRunner
from ui.widgets.error_box import error_text
from ui.widgets.tables import ALIGN_LEFT, ALIGN_RIGHT, Column, RowTableModel, TableView

PRESETS = (
    ("this_year", N_("This year")),
    ("last_year", N_("Last year")),
    ("last_12_months", N_("Last 12 months")),
    ("custom", N_("Custom period")),
)
CHARTS = (
    ("meetings", N_("Participation per meeting")),
    ("organisations", N_("Participation per organisation")),
    ("calendar_quarters", N_("Participation per calendar quarter")),
)


def preset_period(preset: str, today: date) -> tuple[date, date] | None:
    if preset == "this_year":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if preset == "last_year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    if preset == "last_12_months":
        return today - timedelta(days=364), today
    return None


def cell_text(value: Cell) -> str:
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, int):
        return format_number(value)
    return value


def _sort_value(value: Cell) -> Any:
    return value if not isinstance(value, str) else value.casefold()


@dataclass(frozen=True, slots=True, eq=False)
class FiguresRow:
    """One row of a ``FiguresTable`` with its texts, formatted on the worker (Babel dates
    and numbers cost ~2 µs a cell: 5,000 cells for ten years). Compared by identity: the
    model finds its total row by it."""

    cells: tuple[Cell, ...]
    texts: tuple[str, ...]


def figures_rows(table: FiguresTable) -> tuple[FiguresRow, ...]:
    return tuple(
        FiguresRow(cells, tuple(cell_text(value) for value in cells)) for cells in table.rows
    )


def _cell_reader(number: int) -> Callable[[FiguresRow], str]:
    return lambda row: row.texts[number]


def _sort_reader(number: int) -> Callable[[FiguresRow], Any]:
    return lambda row: _sort_value(row.cells[number])


def table_columns(table: FiguresTable) -> list[Column]:
    columns = []
    for number, column in enumerate(table.columns):
        numeric = column.kind is not Kind.TEXT
        natural = 10 if numeric else min(40, int(column.weight * 10))
        columns.append(
            Column(
                column.title,
                _cell_reader(number),
                sort_key=_sort_reader(number),
                align=ALIGN_RIGHT if column.kind is Kind.NUMBER else ALIGN_LEFT,
                # Wide enough for the (German, often long) header.
                width=max(len(column.title) + 2, natural),
                stretch=column.weight >= 4,
            )
        )
    return columns


class FiguresTableModel(RowTableModel):
    """One ``FiguresTable``: rows are ``FiguresRow``s (typed cells and their texts); a total
    row in bold."""

    def __init__(self, table: FiguresTable, parent: QWidget | None = None) -> None:
        super().__init__(table_columns(table), parent)
        self.key = table.key
        self._total: FiguresRow | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    def set_table(self, table: FiguresTable, rows: tuple[FiguresRow, ...] | None = None) -> None:
        """Show *table*: its *rows* as prepared on the worker (``figures_rows``), one reset."""
        if rows is None:
            rows = figures_rows(table)
        self._total = rows[-1] if table.has_total and rows else None
        self.set_rows(rows)

    def row_font(self, row: Any) -> QFont | None:
        return self._bold if self._total is not None and row is self._total else None


def chart_bars(figures: PeriodFigures, kind: str) -> tuple[list[str], list[Bar]]:
    """Series names and bars: people from the directory and guests, stacked."""
    series = [_("People from the directory"), _("Guests")]
    if kind == "organisations":
        bars = [
            Bar(
                organisation_label(o.organisation),
                (o.attendances - o.guest_attendances, o.guest_attendances),
                tooltip=organisation_label(o.organisation),
            )
            for o in sorted(figures.per_organisation, key=lambda o: -o.attendances)
        ]
    elif kind == "calendar_quarters":
        bars = [
            Bar(q.label, (q.attendances - q.guest_attendances, q.guest_attendances))
            for q in figures.per_calendar_quarter
        ]
    else:
        bars = [
            Bar(
                f"{format_date(m.date, 'short')}  {m.title}",
                (m.present, m.guests),
                tooltip=m.title,
            )
            for m in figures.per_meeting
        ]
    return series, bars


@dataclass(frozen=True, slots=True)
class ShownTable:
    table: FiguresTable
    rows: tuple[FiguresRow, ...]


@dataclass(frozen=True, slots=True)
class ShownFigures:
    """What the page shows of ``PeriodFigures``, formatted (on the worker)."""

    figures: PeriodFigures
    overview: tuple[tuple[str, str], ...]  # the headline numbers below the period
    tables: tuple[ShownTable, ...]
    charts: Mapping[str, tuple[list[str], list[Bar]]]  # per chart kind: series, bars


def shown_figures(figures: PeriodFigures) -> ShownFigures:
    """Everything the page shows of *figures* as texts and plain data (no Qt: runs on the
    worker)."""
    return ShownFigures(
        figures=figures,
        overview=tuple((text, cell_text(value)) for text, value in overview(figures)[2:]),
        tables=tuple(ShownTable(table, figures_rows(table)) for table in all_tables(figures)),
        charts={kind: chart_bars(figures, kind) for kind, _text in CHARTS},
    )


def load_shown_figures(db: Database, start: date, end: date) -> ShownFigures:
    """The worker's job: the figures of the period, ready to show."""
    return shown_figures(period_figures(db, start, end))


class FiguresPage(QWidget):
    """Signals:
    loaded(object): the ``PeriodFigures`` now shown.
    exported(str): an export was written to this path.
    failed(str): an error was shown.
    """

    loaded = Signal(object)
    exported = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("figuresPage")
        self._runner = runner
        self._db: Database | None = None
        self._today = today
        self._figures: PeriodFigures | None = None
        self._shown: ShownFigures | None = None
        self._loaded_once = False
        self._setting_period = False

        self.preset = QComboBox()
        self.preset.setObjectName("figuresPreset")
        for key, text in PRESETS:
            self.preset.addItem(_(text), key)
        self.start = QDateEdit()
        self.start.setObjectName("figuresStart")
        self.start.setAccessibleName(_("Period from"))
        self.end = QDateEdit()
        self.end.setObjectName("figuresEnd")
        self.end.setAccessibleName(_("Period to"))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
            edit.dateChanged.connect(self._dates_edited)
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        self.export_xlsx = QPushButton(_("Export XLSX…"))
        self.export_xlsx.setObjectName("exportXlsx")
        self.export_xlsx.clicked.connect(lambda: self.export("xlsx"))
        self.export_pdf = QPushButton(_("Export PDF…"))
        self.export_pdf.setObjectName("exportPdf")
        self.export_pdf.clicked.connect(lambda: self.export("pdf"))

        period = QHBoxLayout()
        period.addWidget(QLabel(_("Period:")))
        period.addWidget(self.preset)
        period.addWidget(self.start)
        period.addWidget(QLabel("–"))
        period.addWidget(self.end)
        period.addStretch(1)
        period.addWidget(self.export_xlsx)
        period.addWidget(self.export_pdf)

        self.overview = QWidget()
        self.overview.setObjectName("figuresOverview")
        self._overview_layout = QGridLayout(self.overview)
        self._overview_layout.setContentsMargins(0, 0, 0, 0)
        self._overview_layout.setHorizontalSpacing(24)
        self._overview_labels: list[tuple[QLabel, QLabel]] = []  # kept, their texts replaced
        self.hint = QLabel()
        self.hint.setObjectName("figuresHint")
        self.hint.setWordWrap(True)
        set_tone(self.hint, Tone.CAUTION)
        self.hint.hide()

        self.chart_kind = QComboBox()
        self.chart_kind.setObjectName("chartKind")
        for key, text in CHARTS:
            self.chart_kind.addItem(_(text), key)
        self.chart_kind.currentIndexChanged.connect(self._show_chart)
        self.chart = BarChart()
        chart_scroll = QScrollArea()
        chart_scroll.setWidgetResizable(True)
        chart_scroll.setWidget(self.chart)
        chart_box = QWidget()
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addWidget(self.chart_kind, 0, Qt.AlignmentFlag.AlignLeft)
        chart_layout.addWidget(chart_scroll, 1)

        self.tables = QTabWidget()
        self.tables.setObjectName("figuresTables")
        self.tables.setDocumentMode(True)
        self.models: dict[str, FiguresTableModel] = {}
        self.views: dict[str, TableView] = {}

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(chart_box)
        splitter.addWidget(self.tables)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([320, 420])
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(period)
        layout.addWidget(self.overview)
        layout.addWidget(self.hint)
        layout.addWidget(splitter, 1)
        self._set_period(*preset_period("this_year", self._today()))  # type: ignore[misc]
        self._update_exports()

    # -- database ------------------------------------------------------------------------------

    def set_database(self, db: Database | None) -> None:
        """Figures load when the page is first shown (not at start-up) and on every change."""
        self._db = db
        self._loaded_once = False
        if self.isVisible():
            self.reload()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._loaded_once:
            self.reload()

    def reload(self) -> None:
        if self._db is None:
            return
        self._loaded_once = True
        start, end = self.period()
        if end < start:
            self._show_error(_("The period ends before it begins."))
            return
        self._runner.run(
            load_shown_figures,
            self._db,
            start,
            end,
            key="figures",
            on_done=self._show,
            on_error=self._failed,
        )

    # -- period --------------------------------------------------------------------------------

    def period(self) -> tuple[date, date]:
        return self.start.date().toPython(), self.end.date().toPython()  # type: ignore[return-value]

    def set_period(self, start: date, end: date) -> None:
        """Choose a custom period (and load it)."""
        self._set_period(start, end)
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(self.preset.findData("custom"))
        self.preset.blockSignals(False)
        self.reload()

    def _set_period(self, start: date, end: date) -> None:
        self._setting_period = True
        self.start.setDate(QDate(start.year, start.month, start.day))
        self.end.setDate(QDate(end.year, end.month, end.day))
        self._setting_period = False

    def _preset_chosen(self) -> None:
        period = preset_period(self.preset.currentData(), self._today())
        if period is not None:
            self._set_period(*period)
            self.reload()

    def _dates_edited(self) -> None:
        if self._setting_period:
            return
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(self.preset.findData("custom"))
        self.preset.blockSignals(False)
        self.reload()

    # -- showing -------------------------------------------------------------------------------

    def figures(self) -> PeriodFigures | None:
        return self._figures

    def _show(self, shown: ShownFigures) -> None:
        figures = shown.figures
        self._figures = figures
        self._shown = shown
        self._show_overview(shown.overview)
        if figures.meetings_not_held:
            self.hint.setText(
                _(
                    "{count} meetings in this period are not marked as held and are not counted."
                ).format(count=figures.meetings_not_held)
            )
        self.hint.setVisible(bool(figures.meetings_not_held))
        for item in shown.tables:
            table = item.table
            model = self.models.get(table.key)
            if model is None:
                model = FiguresTableModel(table, self)
                view = TableView(model, f"figures_{table.key}", empty_text=_("No meetings held."))
                view.setAccessibleName(table.title)
                self.models[table.key] = model
                self.views[table.key] = view
                self.tables.addTab(view, table.title)
            model.set_table(table, item.rows)
        self._show_chart()
        self._update_exports()
        self.loaded.emit(figures)

    def _show_overview(self, numbers: tuple[tuple[str, str], ...]) -> None:
        """Texts into the labels the page keeps (new ones only for more numbers than before,
        spare ones removed): five rows of label and number, column after column."""
        labels = self._overview_labels
        while len(labels) > len(numbers):
            for widget in labels.pop():
                self._overview_layout.removeWidget(widget)
                widget.deleteLater()
        for number in range(len(labels), len(numbers)):
            name = QLabel()
            shown = QLabel()
            shown.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            font = shown.font()
            font.setBold(True)
            shown.setFont(font)
            row, column = number % 5, (number // 5) * 2
            self._overview_layout.addWidget(name, row, column)
            self._overview_layout.addWidget(shown, row, column + 1)
            labels.append((name, shown))
        for (name, shown), (text, value) in zip(labels, numbers, strict=True):
            name.setText(text)
            shown.setText(value)
        self._overview_layout.setColumnStretch(self._overview_layout.columnCount(), 1)

    def _show_chart(self) -> None:
        shown = self._shown
        if shown is None:
            self.chart.set_data(self.chart_kind.currentText(), [], [])
            return
        series, bars = shown.charts[self.chart_kind.currentData()]
        self.chart.set_data(
            self.chart_kind.currentText(),
            series,
            bars,
            empty_text=_("No meetings held in this period."),
        )

    def _update_exports(self) -> None:
        enabled = self._figures is not None
        self.export_xlsx.setEnabled(enabled)
        self.export_pdf.setEnabled(enabled)

    # -- export --------------------------------------------------------------------------------

    def export(self, kind: str) -> None:
        figures = self._figures
        if figures is None:
            return
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        stem = _("Attendance figures {start} to {end}").format(
            start=figures.start.isoformat(), end=figures.end.isoformat()
        )
        start = Path(documents or Path.home()) / f"{stem}.{kind}"
        filters = _("Excel workbooks (*.xlsx)") if kind == "xlsx" else _("PDF files (*.pdf)")
        name, _selected = QFileDialog.getSaveFileName(
            self, _("Export figures"), str(start), filters
        )
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() != f".{kind}":
            path = path.with_name(f"{path.name}.{kind}")
        self._runner.run(
            write_export,
            kind,
            figures,
            path,
            on_done=lambda _result: self.exported.emit(str(path)),
            on_error=self._failed,
            owner=self,
        )

    # -- feedback ------------------------------------------------------------------------------

    def _failed(self, error: BaseException) -> None:
        text = error_text(error)
        self._show_error(text)

    def _show_error(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.show()
        self.failed.emit(text)


def write_export(kind: str, figures: PeriodFigures, path: Path) -> None:
    """XLSX or PDF (imported here: openpyxl and ReportLab cost start-up time)."""
    if kind == "xlsx":
        from app.services.reporting.xlsx import write_figures_xlsx

        write_figures_xlsx(figures, path)
    else:
        from app.documents.figures import write_figures_pdf

        write_figures_pdf(figures, path)
