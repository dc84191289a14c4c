"""Helpers for the contacts import tests: the sample files, table counts, finding people."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, text

from app.db import Database
from app.services.directory import PersonRow, list_people

FILES = Path(__file__).resolve().parents[1] / "core" / "contacts" / "files"


TABLES = (
    "people",
    "person_emails",
    "person_phones",
    "organisations",
    "groups",
    "quarters",
    "person_groups",
    "organisation_quarters",
)


def table_counts(db: Database) -> dict[str, int]:
    """Row count of every directory table: "nothing changed" means these stay equal."""
    with db.read() as session:
        return {
            table: session.scalar(select(func.count()).select_from(text(table))) or 0
            for table in TABLES
        }


def people_by_email(db: Database) -> dict[str, PersonRow]:
    return {email.casefold(): row for row in list_people(db) for email in row.emails}


def person_named(db: Database, last_name: str) -> PersonRow:
    matches = [row for row in list_people(db, include_archived=True) if row.last_name == last_name]
    assert len(matches) == 1, f"{len(matches)} people named {last_name}"
    return matches[0]
