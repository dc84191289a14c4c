"""Per-database settings stored as JSON in the ``settings`` table (never secrets)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from app.db import Database
from app.models import Setting


def get_setting(db: Database, key: str, default: Any = None) -> Any:
    with db.read() as session:
        return read_setting(session, key, default)


def read_setting(session: Session, key: str, default: Any = None) -> Any:
    row = session.get(Setting, key)
    if row is None:
        return default
    try:
        return json.loads(row.value_json)
    except ValueError:
        return default


def set_setting(db: Database, key: str, value: Any) -> None:
    with db.write() as session:
        write_setting(session, key, value)


def write_setting(session: Session, key: str, value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value_json=text))
    else:
        row.value_json = text
