"""The sign-in sheet with the saved data-protection notice and the letterhead."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from app.db import Database
from app.documents.signin import save_signin_pdf
from app.services.settings import get_setting
from app.services.signin_sheet import (
    PRIVACY_NOTICE_KEY,
    save_privacy_notice,
    signin_defaults,
    signin_snapshot,
)
from app.services.snapshots.signin import SigninOptions
from tests.helpers.attendance import build


def test_default_notice_until_the_user_saves_another(db: Database) -> None:
    setup = build(db)
    defaults = signin_defaults(db, setup.meeting)
    assert not defaults.customised
    assert defaults.privacy_notice == defaults.default_notice
    assert defaults.invitees == 4  # the declined invitee is left out by default
    assert save_privacy_notice(
        db, "  Eigener Hinweis: Liste bleibt 5 Jahre.  \n", default=defaults.default_notice
    ) == ("Eigener Hinweis: Liste bleibt 5 Jahre.")
    again = signin_defaults(db, setup.meeting)
    assert again.customised
    assert again.privacy_notice == "Eigener Hinweis: Liste bleibt 5 Jahre."
    assert signin_snapshot(db, setup.meeting, SigninOptions()).privacy_notice == (
        "Eigener Hinweis: Liste bleibt 5 Jahre."
    )
    # Explicit options win over the saved text.
    assert (
        signin_snapshot(db, setup.meeting, SigninOptions(privacy_notice="Nur heute")).privacy_notice
        == "Nur heute"
    )


def test_saving_the_default_or_nothing_removes_the_saved_text(db: Database) -> None:
    setup = build(db)
    default = signin_defaults(db, setup.meeting).default_notice
    save_privacy_notice(db, "Anders", default=default)
    assert save_privacy_notice(db, default + "\n", default=default) is None
    assert get_setting(db, PRIVACY_NOTICE_KEY) is None
    save_privacy_notice(db, "Anders", default=default)
    assert save_privacy_notice(db, "   ", default=default) is None
    assert not signin_defaults(db, setup.meeting).customised


def test_saved_pdf_lists_the_invitees_and_the_notice(db: Database, tmp_path: Path) -> None:
    setup = build(db)
    default = signin_defaults(db, setup.meeting).default_notice
    save_privacy_notice(db, "Hinweis <b>zum Datenschutz</b> & mehr", default=default)
    path = tmp_path / "liste.pdf"
    snapshot = save_signin_pdf(
        db, setup.meeting, SigninOptions(declined="excused", blank_rows=3), path
    )
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    for name in ("Ayşe Yılmaz", "Renée Öztürk-Weiß", "Jan Müller", "Anna Ayhan"):
        assert name in text
    assert "Hinweis <b>zum Datenschutz</b> & mehr" in text
    assert len(snapshot.blank_rows) == 3
