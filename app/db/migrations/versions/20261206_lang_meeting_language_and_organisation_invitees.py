"""meeting language and organisations as invitees

Revision ID: 20261206_lang
Revises: 20261125_01
Create Date: 2026-12-06 12:46:28.772752

- ``meetings.language``: the language of a meeting's documents; existing meetings take the
  network's document language (the ``document_language`` setting, German by default).
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261206_lang"
down_revision: str | None = "20261125_01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _network_language() -> str:
    row = (
        op.get_bind()
        .execute(sa.text("SELECT value_json FROM settings WHERE key = 'document_language'"))
        .first()
    )
    try:
        value = json.loads(row[0]) if row is not None else "de"
    except ValueError:
        value = "de"
    return value if value in ("de", "en") else "de"


def upgrade() -> None:
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=10), nullable=False, server_default="de")
        )
    op.get_bind().execute(
        sa.text("UPDATE meetings SET language = :language"), {"language": _network_language()}
    )


def downgrade() -> None:
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("language")
