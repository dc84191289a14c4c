"""Copying a whole network from one database into an empty one: file ↔ server.

``copy_database(source, target)`` is what ``treffpunkt --db SOURCE copy-to TARGET``, the
server's ``backup`` (a server → a portable SQLite file) and ``restore FILE`` into an empty
server database use. It works on the tables as they are (reflected), not on the models, so it
also copies a database of an older schema revision (the backup before an upgrade):

1. The source is read in one consistent snapshot (SQLite: one read transaction; a server:
   REPEATABLE READ, READ ONLY); it is never changed.
2. The target gets the source's schema revision through the migrations, then every row, in
   one transaction (a server: schema and rows together, so a failure leaves it empty),
   parents before children; a server's id sequences continue after the copied ids.
3. Both sides are read back: for every table the row count and a checksum over its rows in
   key order (values in one canonical text form, so SQLite's and PostgreSQL's types compare),
   and they must be equal. ``CopyReport`` holds them.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, MetaData, Table, select

from app.db.database import Database, backend_for
from app.db.location import DatabaseLocation
from app.db.report import SchemaStatus
from app.errors import DatabaseDamaged, DatabaseTooNew, ValidationError
from app.i18n import _

BATCH = 1000
VERSION_TABLE = "alembic_version"


@dataclass(frozen=True, slots=True)
class TableCheck:
    rows: int
    checksum: str  # sha256 over the canonical rows in key order


@dataclass(frozen=True, slots=True)
class CopyReport:
    source: DatabaseLocation
    target: DatabaseLocation
    revision: str
    tables: dict[str, TableCheck]

    @property
    def total_rows(self) -> int:
        return sum(check.rows for check in self.tables.values())


def canonical(value: Any) -> str:
    """One text form per value, the same whichever engine returned it."""
    if value is None:
        return "\x00"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | decimal.Decimal):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return "b:" + hashlib.sha256(bytes(value)).hexdigest()
    return "s:" + str(value)


def reflect(connection: Connection) -> MetaData:
    metadata = MetaData()
    metadata.reflect(connection)
    return metadata


def data_tables(metadata: MetaData) -> list[Table]:
    """Every table but Alembic's, parents before children."""
    return [table for table in metadata.sorted_tables if table.name != VERSION_TABLE]


def _key_columns(table: Table) -> list[Any]:
    return list(table.primary_key.columns) or [table.columns[name] for name in column_names(table)]


def column_names(table: Table) -> list[str]:
    """Sorted by name: SQLite and PostgreSQL may order the columns of a table differently
    after the same migrations (a rebuilt table against ``ALTER TABLE … ADD``)."""
    return sorted(table.columns.keys())


def ordered_rows(connection: Connection, table: Table) -> Iterator[tuple[Any, ...]]:
    """The rows of *table* (columns by name) in primary-key order, streamed."""
    columns = [table.columns[name] for name in column_names(table)]
    query = select(*columns).order_by(*_key_columns(table))
    result = connection.execution_options(yield_per=BATCH).execute(query)
    for row in result:
        yield tuple(row)


def table_check(rows: Iterable[Sequence[Any]]) -> TableCheck:
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update("\x1f".join(canonical(value) for value in row).encode("utf-8"))
        digest.update(b"\x1e")
        count += 1
    return TableCheck(count, digest.hexdigest())


def database_checks(database: Database) -> tuple[str, dict[str, TableCheck]]:
    """(schema revision, {table: count and checksum}) of *database*, in one snapshot."""
    with database.read() as session:
        connection = session.connection()
        metadata = reflect(connection)
        revision = connection.execute(select(metadata.tables[VERSION_TABLE].c.version_num))
        checks = {
            table.name: table_check(ordered_rows(connection, table))
            for table in data_tables(metadata)
        }
        return str(revision.scalar()), checks


def _parents_first(
    table: Table, names: list[str], rows: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """Rows of a table that refers to itself (agenda items under a parent item), each after
    the row it refers to."""
    self_keys = [
        (fk.parent.name, fk.column.name)
        for fk in table.foreign_keys
        if fk.column.table is table or fk.column.table.name == table.name
    ]
    if not self_keys:
        return rows
    (child, parent), *_rest = self_keys
    child_index, parent_index = names.index(child), names.index(parent)
    placed: set[Any] = set()
    ordered: list[tuple[Any, ...]] = []
    waiting = list(rows)
    while waiting:
        progress = False
        still: list[tuple[Any, ...]] = []
        for row in waiting:
            if row[child_index] is None or row[child_index] in placed:
                ordered.append(row)
                placed.add(row[parent_index])
                progress = True
            else:
                still.append(row)
        if not progress:
            raise DatabaseDamaged(
                _("The table {table} refers to rows that are not there.").format(table=table.name)
            )
        waiting = still
    return ordered


def _batches(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def copy_database(
    source: Database | DatabaseLocation,
    target: DatabaseLocation,
    *,
    target_prepared: bool = False,
) -> CopyReport:
    """Copy every row of *source* into the empty *target* and check both sides.

    *target* must be new: a file that does not exist yet (created 0600), or a server
    database without any table. ``target_prepared``: the target file was created empty by
    the caller (a private temporary file of a backup). Raises the user's errors; on a failed
    check ``DatabaseDamaged`` (a new file is then removed by the caller that owns it).
    """
    if isinstance(source, Database):
        return _copy(source, target, target_prepared=target_prepared)
    with Database(source, read_only=True) as source_db:
        return _copy(source_db, target, target_prepared=target_prepared)


def _copy(source: Database, target: DatabaseLocation, *, target_prepared: bool) -> CopyReport:
    if source.location == target or (
        not target.is_server
        and not source.location.is_server
        and target.file_path.resolve() == source.location.file_path.resolve()
    ):
        raise ValidationError(_("A database cannot be copied onto itself."))
    report = source.backend.inspect(full_integrity_check=False)
    if report.status is SchemaStatus.TOO_NEW:
        raise DatabaseTooNew(
            _("{path} was written by a newer version of Treffpunkt.").format(path=source.location)
        )
    target_backend = backend_for(target)
    if not target_prepared:
        target_backend.create_empty()
    destination = Database(target)
    try:
        with source.read() as session:
            reading = session.connection()
            source_meta = reflect(reading)
            revision = str(
                reading.execute(select(source_meta.tables[VERSION_TABLE].c.version_num)).scalar()
            )
            source_checks: dict[str, TableCheck] = {}
            with target_backend.loading(destination.engine, revision) as writing:
                target_meta = reflect(writing)
                source_names = {table.name for table in data_tables(source_meta)}
                target_names = {table.name for table in data_tables(target_meta)}
                if source_names != target_names:
                    raise DatabaseDamaged(
                        _("The source's tables differ from its schema revision: {tables}.").format(
                            tables=", ".join(sorted(source_names ^ target_names))
                        )
                    )
                for table in data_tables(target_meta):
                    source_table = source_meta.tables[table.name]
                    if sorted(source_table.columns.keys()) != sorted(table.columns.keys()):
                        raise DatabaseDamaged(
                            _("The columns of the table {table} differ from its schema.").format(
                                table=table.name
                            )
                        )
                    rows = list(ordered_rows(reading, source_table))
                    source_checks[table.name] = table_check(rows)
                    names = column_names(source_table)
                    for batch in _batches(
                        dict(zip(names, row, strict=True))
                        for row in _parents_first(table, names, rows)
                    ):
                        writing.execute(table.insert(), batch)
        target_revision, target_checks = database_checks(destination)
    finally:
        destination.close()
    if target_revision != revision or target_checks != source_checks:
        different = sorted(
            name
            for name in set(source_checks) | set(target_checks)
            if source_checks.get(name) != target_checks.get(name)
        )
        raise DatabaseDamaged(
            _("The copy does not match the source in the tables {tables}.").format(
                tables=", ".join(different) or VERSION_TABLE
            )
        )
    return CopyReport(source.location, target, revision, source_checks)
