"""Figures for the funder (no Qt): per meeting and per period, as tables, XLSX and PDF.

- ``figures`` — ``meeting_figures``, ``period_figures`` and their frozen dataclasses (the
  definitions of every number are in its docstring).
- ``tables`` — the titled tables every output shows (one definition for all three).
- ``xlsx`` — ``write_figures_xlsx``; ``pdf`` — ``write_figures_pdf``.

The exports are imported lazily by their callers: openpyxl and ReportLab cost start-up time.
"""

from app.services.reporting.figures import (
    HELD_STATES,
    CalendarQuarterFigures,
    MeetingFigures,
    OrganisationFigures,
    PeriodFigures,
    QuarterFigures,
    calendar_quarter_label,
    figures_for_year,
    meeting_figures,
    period_figures,
)

__all__ = [
    "HELD_STATES",
    "CalendarQuarterFigures",
    "MeetingFigures",
    "OrganisationFigures",
    "PeriodFigures",
    "QuarterFigures",
    "calendar_quarter_label",
    "figures_for_year",
    "meeting_figures",
    "period_figures",
]
