"""Which language a document or mail is written in.

The rule (never the window's language, never the process locale):

- a mail, and the documents attached to it, speak the recipient's preferred language;
- without one (an organisation's address, a guest, an "informed only" address, a sign-in
  sheet for everyone), the meeting's language (``Meeting.language``);
- a new meeting takes the network's document language (the ``document_language`` setting,
  German unless set otherwise).

Why the meeting carries its own language rather than only reading the network setting: a
network may hold one meeting in English (an exchange with partners from abroad) without
switching all its other documents, and the minutes of a meeting must come out in the same
language years later, whatever the network setting has become meanwhile.

Rendering in that language: ``with i18n.language(code): ...`` (context-bound, thread-safe).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.i18n import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, supported_language
from app.models import Meeting
from app.services.settings import read_setting, write_setting

# Which language the documents (invitation, minutes) of new meetings are written in.
DOCUMENT_LANGUAGE_KEY = "document_language"


def network_language(session: Session) -> str:
    """The network's document language ("de" unless set otherwise)."""
    value = read_setting(session, DOCUMENT_LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return value if value in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


def set_network_language(db: Database, language: str) -> str:
    chosen = supported_language(language, DEFAULT_LANGUAGE)
    with db.write() as session:
        write_setting(session, DOCUMENT_LANGUAGE_KEY, chosen)
    return chosen


def meeting_language(session: Session, meeting_id: int) -> str:
    """The language of meeting *meeting_id*; the network's for an unknown meeting (the caller
    reports that one)."""
    stored = session.scalar(select(Meeting.language).where(Meeting.id == meeting_id))
    if stored is None:
        return network_language(session)
    return supported_language(stored, DEFAULT_LANGUAGE)


def reader_language(preferred: str | None, meeting: str) -> str:
    """The language for one reader: their preferred language ("de-AT" → "de"; one we have no
    catalogue for → English), else the meeting's."""
    return supported_language(preferred, supported_language(meeting, DEFAULT_LANGUAGE))
