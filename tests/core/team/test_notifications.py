"""Team mode: every committed write on a server database is announced (LISTEN/NOTIFY) to the
other clients with the rows it changed; a window recognises its own writes."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

import pytest

from app.db import Database
from app.db.location import DatabaseLocation
from app.db.notifications import ChangeCollector, ChangeListener, ChangeNotice, ListenerState
from app.models import Organisation
from app.services.directory_editing import (
    EmailInput,
    OrganisationInput,
    PersonInput,
    create_organisation,
    create_person,
    load_person,
    update_person,
)

WITHIN = 2.0  # seconds: the promise for a colleague's change to show


class Received:
    """A listener running in a thread, collecting what it hears."""

    def __init__(self, url: str, own_client: str | None = None) -> None:
        location = DatabaseLocation.parse(url)
        assert location.server is not None
        self.listener = ChangeListener(location.server, own_client=own_client, retry_seconds=0.1)
        self.notices: queue.Queue[ChangeNotice] = queue.Queue()
        self.states: queue.Queue[ListenerState] = queue.Queue()
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=self.listener.run,
            args=(self.notices.put, lambda state, _why: self.states.put(state), self.stop),
            daemon=True,
        )

    def __enter__(self) -> Received:
        self.thread.start()
        assert self.states.get(timeout=10) is ListenerState.CONNECTED
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=5)

    def next(self) -> ChangeNotice:
        return self.notices.get(timeout=WITHIN)

    def nothing(self, seconds: float = 0.5) -> bool:
        try:
            self.notices.get(timeout=seconds)
        except queue.Empty:
            return True
        return False


@pytest.fixture
def db(server_url: str) -> Iterator[Database]:
    database = Database.open(server_url)
    database.user_name = "Ayşe Demir"
    yield database
    database.close()


@pytest.fixture
def colleague(server_url: str) -> Iterator[Database]:
    database = Database.open(server_url)
    database.user_name = "Jonas Weber"
    yield database
    database.close()


def test_a_colleagues_new_person_is_announced_with_its_rows(
    db: Database, colleague: Database, server_url: str
) -> None:
    with Received(server_url, own_client=db.client_id) as heard:
        saved = create_person(
            colleague, PersonInput(last_name="Öztürk", emails=(EmailInput("oe@example.org"),))
        )
        notice = heard.next()
    assert notice.client == colleague.client_id
    assert notice.by == "Jonas Weber"
    assert notice.tables["people"] == {saved.id}
    assert notice.touches("person_emails")
    assert notice.people == {saved.id}


def test_a_change_names_the_changed_rows_and_their_organisations(
    db: Database, colleague: Database, server_url: str
) -> None:
    with db.write() as session:
        first, second = Organisation(name="Kita Sonnenschein"), Organisation(name="Jugendtreff")
        session.add_all([first, second])
        session.flush()
        old_org, new_org = first.id, second.id
    saved = create_person(db, PersonInput(last_name="Nowak", organisation_id=old_org))
    with Received(server_url, own_client=db.client_id) as heard:
        form = load_person(colleague, saved.id)
        update_person(
            colleague,
            saved.id,
            PersonInput(last_name="Nowak-Schulz", organisation_id=new_org),
            form.version,
        )
        notice = heard.next()
    assert notice.tables["people"] == {saved.id}
    assert notice.people == {saved.id}
    # both organisations' people counts changed
    assert notice.organisations == {old_org, new_org}


def test_own_writes_are_recognised_and_not_delivered_as_a_colleagues(
    db: Database, colleague: Database, server_url: str
) -> None:
    with Received(server_url, own_client=db.client_id) as heard:
        create_person(db, PersonInput(last_name="Eigene"))
        assert heard.nothing()
        create_person(colleague, PersonInput(last_name="Fremde"))
        assert heard.next().by == "Jonas Weber"
    # a listener that is nobody's hears both, each with its writer's id
    with Received(server_url) as everyone:
        create_person(db, PersonInput(last_name="Eins"))
        assert everyone.next().client == db.client_id


def test_a_rolled_back_write_is_not_announced(db: Database, server_url: str) -> None:
    def cancelled_write() -> None:
        with db.write() as session:
            session.add(Organisation(name="Nie gespeichert"))
            session.flush()
            raise RuntimeError("the user cancelled")

    with Received(server_url) as heard:
        with pytest.raises(RuntimeError):
            cancelled_write()
        assert heard.nothing()


def test_an_organisation_edit_is_announced(db: Database, server_url: str) -> None:
    with Received(server_url) as heard:
        saved = create_organisation(db, OrganisationInput(name="Stadtteilbüro"))
        notice = heard.next()
    assert notice.organisations == {saved.id}
    assert notice.tables["organisations"] == {saved.id}


def test_a_bulk_statement_announces_its_table_with_unknown_rows(
    db: Database, server_url: str
) -> None:
    from sqlalchemy import update

    create_person(db, PersonInput(last_name="Viele"))
    with Received(server_url) as heard:
        with db.write() as session:
            session.execute(update(Organisation).values(notes="x"))
        notice = heard.next()
    assert notice.tables["organisations"] is None
    assert notice.organisations is None


def test_a_huge_change_still_fits_the_server_limit() -> None:
    changes = ChangeCollector()
    for row in range(5000):
        changes.row("people", row + 1)
    changes.touch("p", range(1, 5001))
    payload = changes.payload("c" * 16, "someone")
    assert len(payload.encode("utf-8")) < 8000
    notice = ChangeNotice.parse(payload)
    assert notice is not None
    assert notice.tables["people"] is None  # "some rows": the reader reloads the table
    assert notice.people is None


def test_garbage_on_the_channel_is_ignored() -> None:
    assert ChangeNotice.parse("not json") is None
    assert ChangeNotice.parse('{"v": 99, "t": {}}') is None
    assert ChangeNotice.parse("[1, 2]") is None


def test_sqlite_databases_announce_nothing(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    database = Database.create(tmp_path / "one.db")
    try:
        create_person(database, PersonInput(last_name="Allein"))  # no pg_notify on SQLite
        assert not database.is_server
    finally:
        database.close()
