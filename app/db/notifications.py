"""Telling the other windows what changed (team mode): PostgreSQL ``LISTEN``/``NOTIFY``.

Every write transaction on a server database (``Database.write()``) ends, just before its
COMMIT, with one ``pg_notify('treffpunkt', payload)``. The server delivers it to every
listening connection when (and only if) the transaction commits, so a rolled-back change is
never announced. The payload is a small JSON object:

- ``c``: the writing ``Database``'s ``client_id`` (a window ignores its own changes: it has
  shown them already), ``by``: who wrote (``Database.user_name``, as in ``changed_by``);
- ``t``: the changed tables with the ids of the changed rows (``null``: some rows, which
  ones is unknown, e.g. a bulk ``UPDATE … WHERE``);
- ``p``, ``o``, ``m``: the people, organisations and meetings whose shown rows (or, for a
  meeting, detail tabs) may look different now: a person's e-mail changed, a person moved
  from one organisation to another (both people counts), an attendance of a meeting …;
  ``null`` again for "some, unknown which".

The rows are collected from the session's flushes (new, changed and deleted ORM objects) and
its bulk statements; the collection is installed only for server databases (an SQLite file has
one writer and no listeners). ``ChangeListener`` is the receiving side: a dedicated connection
that waits for notices in a thread of its caller's choosing, and reconnects after the server
went away.
"""

from __future__ import annotations

import contextlib
import enum
import json
import logging
import select
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.db.location import ServerAddress

if TYPE_CHECKING:  # the window listens before SQLAlchemy loads; only writes announce
    from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

log = logging.getLogger(__name__)

CHANNEL = "treffpunkt"
PAYLOAD_VERSION = 1
# PostgreSQL refuses payloads of 8000 bytes or more; id lists are dropped (-> "unknown")
# largest first until the payload fits.
MAX_PAYLOAD_BYTES = 7900
INFO_KEY = "treffpunkt.changes"

# Rows that belong to one person's line in the people list.
PERSON_DETAIL_TABLES = frozenset({"person_emails", "person_phones", "consent_records"})
# Kinds of shown rows a change can touch (the payload keys).
PEOPLE, ORGANISATIONS, MEETINGS = "p", "o", "m"
_KINDS = (PEOPLE, ORGANISATIONS, MEETINGS)

Ids = frozenset[int] | None  # None: some rows, unknown which


@dataclass
class ChangeCollector:
    """What one write transaction changed; kept in ``session.info`` while it runs."""

    tables: dict[str, set[int] | None] = field(default_factory=dict)
    touched: dict[str, set[int] | None] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.tables)

    def row(self, table: str, row_id: object) -> None:
        ids = self.tables.setdefault(table, set())
        if ids is not None and isinstance(row_id, int):
            ids.add(row_id)
        elif not isinstance(row_id, int):
            self.tables[table] = None

    def some_rows(self, table: str) -> None:
        self.tables[table] = None

    def touch(self, kind: str, ids: Iterable[object]) -> None:
        known = self.touched.setdefault(kind, set())
        if known is not None:
            known.update(i for i in ids if isinstance(i, int))

    def touch_all(self, kind: str) -> None:
        self.touched[kind] = None

    def payload(self, client: str, by: str) -> str:
        """The JSON text for ``pg_notify``, shortened below PostgreSQL's limit."""
        document: dict[str, Any] = {
            "v": PAYLOAD_VERSION,
            "c": client,
            "by": by,
            "t": {name: _sorted(ids) for name, ids in self.tables.items()},
        }
        for kind, ids in self.touched.items():
            if ids is None or ids:
                document[kind] = _sorted(ids)
        text_ = _dump(document)
        while len(text_.encode("utf-8")) > MAX_PAYLOAD_BYTES:
            if not _forget_largest(document):
                break
            text_ = _dump(document)
        return text_


def _sorted(ids: set[int] | None) -> list[int] | None:
    return None if ids is None else sorted(ids)


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _forget_largest(document: dict[str, Any]) -> bool:
    """Replace the longest id list by null ("unknown which"); False when none is left."""
    lists: list[tuple[int, dict[str, Any], str]] = [
        (len(ids), document["t"], name) for name, ids in document["t"].items() if ids
    ]
    lists += [(len(document[kind]), document, kind) for kind in _KINDS if document.get(kind)]
    if not lists:
        return False
    _length, holder, key = max(lists, key=lambda entry: entry[0])
    holder[key] = None
    return True


# -- collecting ------------------------------------------------------------------------------


def _collector(session: Session) -> ChangeCollector | None:
    found = session.info.get(INFO_KEY)
    return found if isinstance(found, ChangeCollector) else None


def _values(state: Any, attribute: str) -> list[object]:
    """The attribute's current value and, if it changed in this flush, its earlier ones."""
    if attribute not in state.mapper.attrs:
        return []
    history = state.attrs[attribute].history
    return [*history.unchanged, *history.added, *history.deleted]


def _note_object(changes: ChangeCollector, instance: object) -> None:
    from sqlalchemy import inspect

    state = inspect(instance)
    table = state.mapper.local_table.name
    # The primary key from the attributes: a new row's identity is set only after the flush.
    key = state.mapper.primary_key_from_instance(instance)
    row_id = key[0] if len(key) == 1 else None
    changes.row(table, row_id)
    if table == "people":
        changes.touch(PEOPLE, [row_id])
        changes.touch(ORGANISATIONS, _values(state, "organisation_id"))  # people counts
    elif table in PERSON_DETAIL_TABLES:
        changes.touch(PEOPLE, _values(state, "person_id"))
    elif table == "organisations":
        changes.touch(ORGANISATIONS, [row_id])
    elif table == "meetings":
        changes.touch(MEETINGS, [row_id])
    meeting_ids = _values(state, "meeting_id")
    if meeting_ids and table != "outbox_messages":  # mail sent changes no shown meeting
        changes.touch(MEETINGS, meeting_ids)


def _collect_flush(session: Session, _flush_context: object) -> None:
    """``after_flush``: new, dirty and deleted still show what this flush wrote."""
    changes = _collector(session)
    if changes is None:
        return
    for instance in session.new:
        _note_object(changes, instance)
    for instance in session.dirty:
        if session.is_modified(instance):
            _note_object(changes, instance)
    for instance in session.deleted:
        _note_object(changes, instance)


def _collect_statement(state: ORMExecuteState) -> None:
    """Bulk ``INSERT``/``UPDATE``/``DELETE`` statements: the table, rows unknown."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    changes = _collector(state.session)
    if changes is None:
        return
    target = getattr(state.statement, "table", None)
    name = getattr(target, "name", None)
    if not isinstance(name, str):
        return
    changes.some_rows(name)
    columns = getattr(target, "c", None)
    if name == "people" or name in PERSON_DETAIL_TABLES or name == "person_groups":
        changes.touch_all(PEOPLE)
    if name in ("people", "organisations", "organisation_quarters"):
        changes.touch_all(ORGANISATIONS)
    if name == "meetings" or (
        columns is not None and "meeting_id" in columns and name != "outbox_messages"
    ):
        changes.touch_all(MEETINGS)


def install(sessions: sessionmaker[Session]) -> None:
    """Collect the changes of the sessions *sessions* makes (a server's write sessions)."""
    from sqlalchemy import event

    event.listen(sessions, "after_flush", _collect_flush)
    event.listen(sessions, "do_orm_execute", _collect_statement)


def start_collecting(session: Session) -> None:
    session.info[INFO_KEY] = ChangeCollector()


def announce(session: Session, client: str, by: str) -> None:
    """Queue the notice of everything *session* changed; PostgreSQL sends it at COMMIT."""
    from sqlalchemy import text

    changes = _collector(session)
    if not changes:
        return
    session.execute(
        text("SELECT pg_notify(:channel, :payload)"),
        {"channel": CHANNEL, "payload": changes.payload(client, by)},
    )


# -- receiving -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeNotice:
    """One committed write transaction of some client, as announced."""

    client: str
    by: str
    tables: dict[str, Ids]
    people: Ids = frozenset()
    organisations: Ids = frozenset()
    meetings: Ids = frozenset()

    @classmethod
    def parse(cls, payload: str) -> ChangeNotice | None:
        """The notice in *payload*, or None for anything else (another version, garbage)."""
        try:
            document = json.loads(payload)
        except ValueError:
            return None
        if not isinstance(document, dict) or document.get("v") != PAYLOAD_VERSION:
            return None
        tables = document.get("t")
        if not isinstance(tables, dict):
            return None
        return cls(
            client=str(document.get("c", "")),
            by=str(document.get("by", "")),
            tables={str(name): _ids(ids) for name, ids in tables.items()},
            people=_ids(document.get(PEOPLE, [])),
            organisations=_ids(document.get(ORGANISATIONS, [])),
            meetings=_ids(document.get(MEETINGS, [])),
        )

    def touches(self, *tables: str) -> bool:
        return any(table in self.tables for table in tables)


def _ids(value: object) -> Ids:
    if value is None:
        return None
    if isinstance(value, list):
        return frozenset(i for i in value if isinstance(i, int))
    return frozenset()


class ListenerState(enum.Enum):
    CONNECTED = "connected"
    LOST = "lost"


def connect_arguments(address: ServerAddress, password: str | None) -> dict[str, Any]:
    """psycopg keyword arguments for *address* (libpq reads ``.pgpass`` without *password*).

    TCP keep-alives make a connection whose server vanished without a word (a cable pulled,
    a laptop suspended) fail within about half a minute instead of waiting forever.
    """
    from app.db import server_connection

    arguments = server_connection.connect_arguments(
        address,
        password,
        application_name=f"{server_connection.APPLICATION_NAME} (listening)",
    )
    keepalives = {
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 5,
        "keepalives_count": 3,
    }
    return {**keepalives, **arguments}


class ChangeListener:
    """Waits for the notices of a server database on its own connection (``run``, blocking).

    ``run`` calls *on_notice* for every notice of another client and *on_state* whenever the
    connection comes up or breaks, in the thread that runs it; it reconnects after a break
    (every ``retry_seconds``) until *stop* is set. A quiet connection is checked every
    ``ping_seconds``, so a server that went away is noticed even when nobody writes.
    ``wake()`` after setting *stop* ends a wait at once (closing the window does not wait
    for the next poll).
    """

    def __init__(
        self,
        address: ServerAddress,
        *,
        own_client: str | None = None,
        poll_seconds: float = 1.0,
        retry_seconds: float = 1.0,
        ping_seconds: float = 10.0,
    ) -> None:
        self.address = address
        self.own_client = own_client
        self.poll_seconds = poll_seconds
        self.retry_seconds = retry_seconds
        self.ping_seconds = ping_seconds
        self._wake_writer: socket.socket | None = None

    def run(
        self,
        on_notice: Callable[[ChangeNotice], None],
        on_state: Callable[[ListenerState, str], None],
        stop: threading.Event,
    ) -> None:
        # A socket pair, not a pipe: select() waits on sockets only on Windows.
        wake_reader, self._wake_writer = socket.socketpair()
        wake_reader.setblocking(False)
        try:
            self._run(on_notice, on_state, stop, wake_reader)
        finally:
            writer, self._wake_writer = self._wake_writer, None
            writer.close()
            wake_reader.close()

    def wake(self) -> None:
        """End the current wait (call after setting *stop*); harmless at any time."""
        writer = self._wake_writer
        if writer is not None:
            with contextlib.suppress(OSError):  # closed meanwhile: run() has ended
                writer.send(b"\0")

    def _run(
        self,
        on_notice: Callable[[ChangeNotice], None],
        on_state: Callable[[ListenerState, str], None],
        stop: threading.Event,
        wake_reader: socket.socket,
    ) -> None:
        state: ListenerState | None = None
        while not stop.is_set():
            try:
                with self._connect() as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    state = ListenerState.CONNECTED
                    on_state(state, "")
                    self._receive(connection, on_notice, stop, wake_reader)
            except Exception as exc:  # psycopg's errors, and anything a callback raised
                reason = _reason(exc)
                if state is not ListenerState.LOST:
                    state = ListenerState.LOST
                    on_state(state, reason)
                log.info("listening for changes on %s: %s", self.address.account, reason)
                stop.wait(self.retry_seconds)

    def _connect(self) -> Any:
        import psycopg

        from app.db.server_password import password_for

        return psycopg.connect(
            autocommit=True, **connect_arguments(self.address, password_for(self.address))
        )

    def _receive(
        self,
        connection: Any,
        on_notice: Callable[[ChangeNotice], None],
        stop: threading.Event,
        wake_reader: socket.socket,
    ) -> None:
        last_heard = time.monotonic()
        while not stop.is_set():
            # timeout=0: what arrived (or waits in psycopg's backlog since the last
            # statement), without waiting; the waiting is the select() below.
            for message in connection.notifies(timeout=0):
                last_heard = time.monotonic()
                notice = ChangeNotice.parse(message.payload)
                if notice is not None and notice.client != self.own_client:
                    on_notice(notice)
                if stop.is_set():
                    return
            if time.monotonic() - last_heard >= self.ping_seconds:
                connection.execute("SELECT 1")
                last_heard = time.monotonic()
            ready, _writable, _failed = select.select(
                [connection.fileno(), wake_reader],
                [],
                [],
                min(self.poll_seconds, self.ping_seconds),
            )
            if wake_reader in ready:
                with contextlib.suppress(OSError):
                    wake_reader.recv(64)


def _reason(exc: BaseException) -> str:
    message = str(exc).strip()
    return message.splitlines()[0] if message else type(exc).__name__
