"""Constants of the project tests: the demo network's kick-off meeting and the day they run on."""

from __future__ import annotations

from datetime import date

TODAY = date(2026, 12, 6)
AUFTAKT = "Auftakt-Netzwerktreffen der Impuls.Ag"
