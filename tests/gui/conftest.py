"""Fixtures for window tests: a small network with names in many scripts, the demo network,
and a main window that opens a database and waits until the people are shown."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.db import Database
from app.models import (
    ConsentMethod,
    ConsentRecord,
    ConsentTopic,
    Group,
    Organisation,
    OrganisationKind,
    Person,
    PersonEmail,
    PersonPhone,
    Quarter,
    Salutation,
)
from app.preferences import Preferences
from ui.main_window import MainWindow
from ui.tasks import TaskRunner

WAIT_MS = 15_000
# The offscreen platform cannot pass a window's size limits on; on a real screen Qt says nothing.
OFFSCREEN_NOISE = r"^This plugin does not support propagateSizeHints\(\)"
GUI_TESTS = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_gui_thread() -> Iterator[None]:
    """As the application does (ui/garbage.py): no automatic collection that could destroy a
    widget on a task-runner thread; collect on the GUI thread after each test instead."""
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.enable()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if GUI_TESTS in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


def _person(
    first: str,
    last: str,
    organisation: Organisation | None,
    *,
    email: str | None = None,
    function: str = "",
    salutation: Salutation = Salutation.NONE,
    groups: tuple[Group, ...] = (),
) -> Person:
    person = Person(
        first_name=first,
        last_name=last,
        organisation=organisation,
        function=function,
        salutation=salutation,
        groups=list(groups),
    )
    if email:
        person.emails.append(PersonEmail(address=email, is_preferred=True))
    return person


def fill_small_network(db: Database) -> None:
    """Three organisations, eight people: umlauts, Turkish, Arabic, Cyrillic, Vietnamese."""
    with db.write() as session:
        lehmheide = Quarter(name="Lehmheide")
        stahldorf = Quarter(name="Stahldorf")
        impuls = Group(name="Impuls.Ag")
        sport = Group(name="Sport")
        office = Organisation(
            name="Quartiersbüro Lehmheide",
            kind=OrganisationKind.NEIGHBOURHOOD_OFFICE,
            quarters=[lehmheide],
        )
        club = Organisation(
            name="SV Blau-Weiß Stahldorf 1911 e. V.",
            kind=OrganisationKind.SPORTS_CLUB,
            quarters=[stahldorf],
        )
        shelter = Organisation(
            name="Gemeinschaftsunterkunft Wehrhahnweg",
            kind=OrganisationKind.SHELTER,
            quarters=[stahldorf],
        )
        session.add_all([office, club, shelter])
        mueller = _person(
            "Jürgen",
            "Müller",
            club,
            email="j.mueller@svbw.example",
            function="Vorsitzender",
            salutation=Salutation.HERR,
            groups=(sport,),
        )
        mueller.phones.append(PersonPhone(number="0221 4710-001"))
        ayse = _person(
            "Ayşe",
            "Yılmaz",
            office,
            email="ayse.yilmaz@qb.example",
            function="Quartiersmanagerin",
            salutation=Salutation.FRAU,
            groups=(impuls,),
        )
        ayse.emails.append(PersonEmail(address="a.yilmaz@privat.example"))
        people = [
            mueller,
            ayse,
            _person("Zoë", "Öztürk-Weiß", office, email="zoe@qb.example", groups=(impuls,)),
            _person("Анна", "Петрова", shelter, email="anna@gu.example"),
            _person("نور", "الهدى", shelter, function="Sprachmittlerin"),
            _person("Thị Mai", "Nguyễn", office, email="mai@qb.example"),
            _person("Peter", "Adler", club, email="adler@svbw.example", groups=(sport,)),
            _person("Renée", "Ährenfeld", None, email="renee@example.org"),
        ]
        session.add_all(people)
        session.flush()
        stamp = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
        session.add_all(
            [
                ConsentRecord(
                    person=ayse,
                    topic=ConsentTopic.EMAIL_INVITATIONS,
                    given=True,
                    recorded_at=stamp,
                    method=ConsentMethod.FORM,
                ),
                ConsentRecord(
                    person=mueller,
                    topic=ConsentTopic.EMAIL_INVITATIONS,
                    given=True,
                    recorded_at=stamp,
                    method=ConsentMethod.FORM,
                ),
                ConsentRecord(
                    person=mueller,
                    topic=ConsentTopic.EMAIL_INVITATIONS,
                    given=False,
                    recorded_at=stamp.replace(month=6),
                    method=ConsentMethod.EMAIL,
                ),
            ]
        )


@pytest.fixture
def network_db(db: Database) -> Database:
    fill_small_network(db)
    return db


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo network, built once per session; tests get copies."""
    from app.services.demo import fill_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = Database.create(path)
    try:
        fill_demo(database)
    finally:
        database.close()
    return path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo-copy.db"
    path.write_bytes(demo_template.read_bytes())
    return path


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    main = MainWindow(TaskRunner(), Preferences())
    main.offer_setup_assistant = False  # tests of the assistant switch it on
    qtbot.addWidget(main)
    main.show()
    yield main
    main.shutdown()


OpenAndWait = Callable[[Path], MainWindow]


@pytest.fixture
def open_and_wait(window: MainWindow, qtbot: QtBot) -> OpenAndWait:
    """Open a database in the window and wait until the people list is shown."""

    def open_(path: Path) -> MainWindow:
        with qtbot.waitSignal(window.ready, timeout=WAIT_MS):
            window.open_database(path)
        # The other pages, the meetings and the details of the next meeting load after the
        # people (issue 14: once the window has settled).
        qtbot.waitUntil(window.is_settled, timeout=WAIT_MS)
        return window

    return open_
