"""Search-as-you-type in the Netzwerk page: time per keystroke over 10,000 people.

Loads 10,000 generated people into the real PeopleModel + PeopleFilter behind a QTableView
(offscreen) and types a few names letter by letter, timing each keystroke's filter change
including the view's layout update. Beside it, the bare baseline: the same substring test over
the same folded keys in a plain Python list comprehension. Figures only; target < 30 ms per
keystroke. Usage: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/directory_filter.py
"""

from __future__ import annotations

import os
import random
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QTableView

from app.models import Salutation
from app.services.directory import PersonRow
from app.text import fold, sort_key
from ui.network.models import PeopleFilter, PeopleModel

FIRST = ["Ayşe", "Mehmet", "Anna", "Łukasz", "Олена", "Nguyễn Thị", "Jürgen", "Rania", "Sabine"]
LAST = ["Yılmaz", "Müller", "Schmidt", "Wróbel", "Коваленко", "Trần", "Öztürk", "Haddad", "Krüger"]
ORGS = [f"Organisation {n}" for n in range(400)] + ["Quartiersbüro Lehmheide", "DRK Krefeld"]
WORDS = ["muller", "ayse", "lehmheide", "krefeld", "yilmaz"]


def people(count: int) -> list[PersonRow]:
    rng = random.Random(20261125)
    rows = []
    for index in range(count):
        first, last, org = rng.choice(FIRST), rng.choice(LAST), rng.choice(ORGS)
        email = f"p{index}@example.org"
        rows.append(
            PersonRow(
                id=index,
                salutation=Salutation.NONE,
                title="",
                first_name=first,
                last_name=last,
                name=f"{first} {last}",
                emails=(email,),
                preferred_email=email,
                phones=(),
                organisation_id=None,
                organisation=org,
                function="Mitarbeit",
                groups=("Impuls.Ag",),
                quarters=(),
                preferred_language="de",
                archived=False,
                contact_consent=None,
                email_consent=True,
                photo_consent=None,
                sort_key=sort_key(last, first),
                search_key=fold(f"{first} {last} {org} Mitarbeit {email} Impuls.Ag"),
            )
        )
    return rows


def main() -> None:
    app = QApplication([])
    rows = people(10_000)
    model = PeopleModel()
    model.set_rows(rows)
    proxy = PeopleFilter()
    proxy.setSourceModel(model)
    view = QTableView()
    view.setModel(proxy)
    view.resize(1000, 700)
    view.show()
    app.processEvents()
    treffpunkt: list[float] = []
    bare: list[float] = []
    keys = [row.search_key for row in rows]
    for _round in range(5):
        for word in WORDS:
            for length in range(1, len(word) + 1):
                typed = word[:length]
                started = time.perf_counter()
                proxy.set_query(typed)
                app.processEvents()
                treffpunkt.append(time.perf_counter() - started)
                started = time.perf_counter()
                terms = fold(typed).split()
                [k for k in keys if all(t in k for t in terms)]
                bare.append(time.perf_counter() - started)
            proxy.set_query("")
            app.processEvents()

    def describe(label: str, values: list[float]) -> str:
        ordered = sorted(values)
        p95 = ordered[int(len(ordered) * 0.95) - 1]
        return (
            f"  {label:<34} median {statistics.median(values) * 1000:6.2f} ms   "
            f"p95 {p95 * 1000:6.2f} ms   max {max(values) * 1000:6.2f} ms"
        )

    print(f"{len(rows):,} people, {len(treffpunkt)} keystrokes")
    print(describe("Treffpunkt (proxy + view)", treffpunkt))
    print(describe("bare list comprehension", bare))
    ratio = statistics.median(treffpunkt) / statistics.median(bare)
    print(f"  ratio of medians {ratio:.2f}   (target: under 30 ms per keystroke)")
    view.close()


if __name__ == "__main__":
    main()
