"""Where a Treffpunkt database lives: an SQLite file, or a database on a PostgreSQL server.

``--db`` and ``TREFFPUNKT_DB`` take either a file path or a URL
``postgresql://USER@HOST:PORT/DBNAME`` (optionally ``?sslmode=verify-full&sslrootcert=FILE``
and the other libpq connection parameters below). A password never stands in the URL: it is
read from the OS keyring (``app.db.server_password``) or, by libpq itself, from ``.pgpass`` /
``PGPASSFILE``; a URL with a password is refused, so it cannot end up in shell histories,
process lists or the preferences file.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from app.errors import InvalidDatabaseLocation
from app.i18n import _
from app.paths import is_server_url

DEFAULT_PORT = 5432
# libpq connection parameters Treffpunkt passes through from the URL's query (TLS first).
PASSED_PARAMETERS = frozenset(
    {
        "sslmode",
        "sslrootcert",
        "sslcert",
        "sslkey",
        "sslcrl",
        "sslnegotiation",
        "connect_timeout",
        "application_name",
        "target_session_attrs",
        "options",
        "gssencmode",
        "channel_binding",
        "passfile",
    }
)


@dataclass(frozen=True, slots=True)
class ServerAddress:
    """A database on a PostgreSQL server, without any password."""

    user: str
    host: str
    port: int
    dbname: str
    parameters: tuple[tuple[str, str], ...] = ()

    @property
    def account(self) -> str:
        """``user@host:port/dbname``: the keyring account of its password."""
        return f"{self.user}@{self.host}:{self.port}/{self.dbname}"

    def url(self) -> str:
        query = "&".join(f"{key}={value}" for key, value in self.parameters)
        return f"postgresql://{self.account}" + (f"?{query}" if query else "")


@dataclass(frozen=True, slots=True)
class DatabaseLocation:
    """Exactly one of ``path`` (an SQLite file) and ``server`` (a PostgreSQL database)."""

    path: Path | None = None
    server: ServerAddress | None = None

    @classmethod
    def file(cls, path: str | os.PathLike[str]) -> DatabaseLocation:
        return cls(path=Path(path).expanduser())

    @classmethod
    def parse(cls, value: str | os.PathLike[str] | DatabaseLocation) -> DatabaseLocation:
        """A ``DatabaseLocation`` from a ``--db`` value: a URL of a server, else a file path."""
        if isinstance(value, DatabaseLocation):
            return value
        text = os.fspath(value)
        if isinstance(value, str) and looks_like_server_url(text):
            return cls(server=parse_server_url(text))
        return cls.file(text)

    @property
    def is_server(self) -> bool:
        return self.server is not None

    @property
    def file_path(self) -> Path:
        """The SQLite file; a server database has none (a programming error to ask)."""
        if self.path is None:
            raise TypeError(f"{self} is a server database, not a file")
        return self.path

    @property
    def key(self) -> str:
        """A stable identity for folders kept per database (backups, recovery journals)."""
        if self.server is not None:
            return self.server.account
        return str(self.file_path.resolve())

    @property
    def stem(self) -> str:
        """A short readable name: the file name without suffix, or the server database name."""
        if self.server is not None:
            return self.server.dbname
        return self.file_path.stem

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.key.encode("utf-8")).hexdigest()[:10]

    def __str__(self) -> str:
        if self.server is not None:
            return self.server.url()
        return str(self.path)


def looks_like_server_url(text: str) -> bool:
    return is_server_url(text)


def parse_server_url(text: str) -> ServerAddress:
    """``postgresql://USER@HOST[:PORT]/DBNAME[?sslmode=…]`` → ``ServerAddress``.

    Refuses (``InvalidDatabaseLocation``, one sentence) a missing user, host or database name,
    a password in the URL and parameters Treffpunkt does not pass to libpq.
    """
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise InvalidDatabaseLocation(
            _("{url} is not a valid server address: {reason}").format(url=text, reason=exc)
        ) from None
    if parts.password is not None:
        raise InvalidDatabaseLocation(
            _(
                "The server address must not contain a password. Store it in the system's "
                "keyring (service „Treffpunkt PostgreSQL“) or in the .pgpass file."
            )
        )
    user = unquote(parts.username or "")
    host = parts.hostname or ""
    dbname = unquote(parts.path.lstrip("/"))
    if not user or not host or not dbname or "/" in dbname:
        raise InvalidDatabaseLocation(
            _(
                "{url} is not a complete server address; write "
                "postgresql://USER@HOST:PORT/DATABASE."
            ).format(url=_without_query(text))
        )
    parameters = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key not in PASSED_PARAMETERS:
            raise InvalidDatabaseLocation(
                _("Unknown connection parameter „{name}“ in the server address.").format(name=key)
            )
        parameters.append((key, value))
    return ServerAddress(
        user=user,
        host=host,
        port=port or DEFAULT_PORT,
        dbname=dbname,
        parameters=tuple(parameters),
    )


def _without_query(text: str) -> str:
    return text.split("?", 1)[0]


def chosen_location(cli_value: str | os.PathLike[str] | None) -> DatabaseLocation:
    """``--db`` wins over ``TREFFPUNKT_DB``, which wins over the default file in the user data
    folder; each may be a file path or a server URL."""
    from app import paths

    value = cli_value or os.environ.get(paths.DB_ENV_VAR) or None
    if value is None:
        return DatabaseLocation.file(paths.default_database_path())
    return DatabaseLocation.parse(os.fspath(value))
