"""The figures page on the demo network: period, tables, chart, exports."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QFileDialog, QGridLayout, QLabel
from pytestqt.qtbot import QtBot

from app.db import Database
from app.i18n import format_number
from app.services.reporting import period_figures
from app.services.reporting.tables import overview
from ui.attendance.bar_chart import Bar, BarChart, nice_step
from ui.attendance.figures_page import FiguresPage, cell_text, chart_bars, preset_period
from ui.tasks import TaskRunner

WAIT_MS = 15_000
TODAY = date(2026, 11, 25)
DEMO_START, DEMO_END = date(2022, 11, 1), date(2023, 12, 31)


@pytest.fixture
def demo_db(demo_path: Path) -> Iterator[Database]:
    database = Database.open(demo_path)
    yield database
    database.close()


@pytest.fixture
def page(qtbot: QtBot, demo_db: Database) -> Iterator[FiguresPage]:
    runner = TaskRunner()
    widget = FiguresPage(runner, today=lambda: TODAY)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.set_database(demo_db)
    with qtbot.waitSignal(widget.loaded, timeout=WAIT_MS):
        widget.show()  # the first showing loads the default period
    yield widget
    runner.shutdown()


def test_default_period_is_the_current_funding_year(page: FiguresPage) -> None:
    assert page.period() == (date(2026, 1, 1), date(2026, 12, 31))
    assert preset_period("last_year", TODAY) == (date(2025, 1, 1), date(2025, 12, 31))


def test_demo_period_fills_tables_and_chart(
    qtbot: QtBot, page: FiguresPage, demo_db: Database, qtmodeltester: object
) -> None:
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS) as blocker:
        page.set_period(DEMO_START, DEMO_END)
    shown = blocker.args[0]
    expected = period_figures(demo_db, DEMO_START, DEMO_END)
    assert shown == expected
    assert expected.meetings_held >= 3
    meetings = page.models["meetings"]
    assert meetings.rowCount() == expected.meetings_held
    titles = [meetings.index(r, 1).data() for r in range(meetings.rowCount())]
    assert "Auftakt-Netzwerktreffen der Impuls.Ag" in titles
    organisations = page.models["organisations"]
    assert organisations.rowCount() == len(expected.per_organisation)
    for model in page.models.values():
        qtmodeltester.check(model)  # type: ignore[attr-defined]
    # The chart shows one bar per held meeting with people and guests stacked.
    bars = page.chart.bars()
    assert [bar.total for bar in bars] == [m.participants for m in expected.per_meeting]
    overview_texts = [label.text() for label in page.overview.findChildren(type(page.hint))]
    assert format_number(expected.attendances) in overview_texts


def test_chart_kinds_and_painting(qtbot: QtBot, page: FiguresPage) -> None:
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.set_period(DEMO_START, DEMO_END)
    figures = page.figures()
    assert figures is not None
    page.chart_kind.setCurrentIndex(page.chart_kind.findData("organisations"))
    totals = [bar.total for bar in page.chart.bars()]
    assert totals == sorted(totals, reverse=True)
    assert sum(totals) == figures.attendances
    page.chart_kind.setCurrentIndex(page.chart_kind.findData("calendar_quarters"))
    assert len(page.chart.bars()) == len(figures.per_calendar_quarter)
    image = page.chart.grab().toImage()
    assert not image.isNull()
    # Something was drawn in the bar colour.
    colours = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 4)
        for y in range(0, image.height(), 4)
    }
    assert "#1565c0" in colours


def test_a_long_chart_paints_only_the_rows_shown(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten years are 500 bars, 10,000 pixels high in a scroll area that shows 300: a paint
    draws the exposed rows only, and they look exactly as in a paint of the whole chart."""
    chart = BarChart()
    qtbot.addWidget(chart)
    bars = [Bar(f"Treffen {n}", (20 + n % 17, n % 4)) for n in range(500)]
    chart.set_data("Teilnahmen", ["Personen", "Gäste"], bars)
    chart.resize(700, chart.sizeHint().height())
    whole = chart.grab().toImage()
    top = chart._header_height() + 200 * chart._row_height() + 5
    shown = QRect(0, top, chart.width(), 3 * chart._row_height())

    totals: list[str] = []
    import ui.attendance.bar_chart as bar_chart

    def counting(value: int) -> str:
        totals.append(str(value))
        return format_number(value)

    monkeypatch.setattr(bar_chart, "format_number", counting)
    part = chart.grab(shown).toImage()
    assert part == whole.copy(shown)
    # The totals of the four rows the area touches and the axis ticks, not 500 totals.
    assert 4 <= len(totals) <= 4 + 12


def test_empty_chart_paints_its_text(qtbot: QtBot) -> None:
    chart = BarChart()
    qtbot.addWidget(chart)
    chart.set_data("Leer", ["a", "b"], [], empty_text="Keine Treffen")
    chart.resize(400, 200)
    assert not chart.grab().isNull()
    assert chart_bars.__name__  # the module's helpers import cleanly


@pytest.mark.parametrize("kind", ["xlsx", "pdf"])
def test_export_writes_the_file(
    qtbot: QtBot, page: FiguresPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.set_period(DEMO_START, DEMO_END)
    target = tmp_path / "zahlen"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    button = page.export_xlsx if kind == "xlsx" else page.export_pdf
    with qtbot.waitSignal(page.exported, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    path = Path(blocker.args[0])
    assert path == tmp_path / f"zahlen.{kind}"
    if kind == "xlsx":
        workbook = load_workbook(path)
        values = [c.value for ws in workbook for row in ws.iter_rows() for c in row]
        assert "Auftakt-Netzwerktreffen der Impuls.Ag" in values
    else:
        text = "".join(p.extract_text() for p in PdfReader(path).pages)
        assert "Auftakt-Netzwerktreffen der Impuls.Ag" in text


def test_nice_steps() -> None:
    assert nice_step(0) == 1
    assert nice_step(7) == 2
    assert nice_step(48) == 10
    assert nice_step(1234) == 500


def test_bar_at_finds_the_bar_under_the_mouse(qtbot: QtBot) -> None:
    chart = BarChart()
    qtbot.addWidget(chart)
    bars = [Bar("Auftakt", (30, 2)), Bar("Frühjahr", (37, 0))]
    chart.set_data("Teilnahmen", ["Personen", "Gäste"], bars)
    chart.resize(500, chart.sizeHint().height())
    top = chart._header_height()
    row = chart._row_height()
    assert chart.bar_at(top + row // 2) == bars[0]
    assert chart.bar_at(top + row + row // 2) == bars[1]
    assert chart.bar_at(2) is None
    assert chart.bar_at(top + 5 * row) is None


def overview_cells(page: FiguresPage) -> dict[tuple[int, int], str]:
    layout = page.overview.layout()
    assert isinstance(layout, QGridLayout)
    cells = {}
    for number in range(layout.count()):
        row, column, _rows, _columns = layout.getItemPosition(number)
        item = layout.itemAt(number)
        label = item.widget() if item is not None else None
        assert isinstance(label, QLabel)
        cells[(row, column)] = label.text()
    return cells


def test_the_overview_follows_the_period(qtbot: QtBot, page: FiguresPage) -> None:
    """The headline numbers (more of them when meetings are cancelled or not held) stand in
    five rows of label and number, column after column, whatever was shown before."""
    counts = []
    # The demo's next meeting (January 2027) is invited, not held: one number more.
    for start, end in ((DEMO_START, DEMO_END), (DEMO_START, date(2027, 12, 31))) * 2:
        with qtbot.waitSignal(page.loaded, timeout=WAIT_MS) as blocker:
            page.set_period(start, end)
        numbers = overview(blocker.args[0])[2:]
        counts.append(len(numbers))
        expected = {}
        for number, (text, value) in enumerate(numbers):
            row, column = number % 5, (number // 5) * 2
            expected[(row, column)] = text
            expected[(row, column + 1)] = cell_text(value)
        assert overview_cells(page) == expected
    assert counts[0] < counts[1]
