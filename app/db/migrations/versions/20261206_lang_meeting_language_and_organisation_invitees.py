"""meeting language and organisations as invitees

Revision ID: 20261206_lang
Revises: 20261206_02_postal
Create Date: 2026-12-06 12:46:28.772752

- ``meetings.language``: the language of a meeting's documents; existing meetings take the
  network's document language (the ``document_language`` setting, German by default).
- ``invitations.organisation_id``: an organisation invited through its own address; exactly
  one of ``person_id`` (now nullable) and ``organisation_id`` is set (check constraint), each
  at most once per meeting.
- ``outbox_messages.organisation_id``: a mail to that address, so sending marks the
  organisation's invitation as sent.
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261206_lang"
down_revision: str | None = "20261206_02_postal"
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
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch_op.alter_column("person_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_index(
            batch_op.f("ix_invitations_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_unique_constraint(
            "uq_invitations_meeting_id_organisation_id", ["meeting_id", "organisation_id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_invitations_organisation_id_organisations"),
            "organisations",
            ["organisation_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_check_constraint(
            "person_or_organisation", "(person_id IS NULL) <> (organisation_id IS NULL)"
        )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_outbox_messages_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_messages_organisation_id_organisations"),
            "organisations",
            ["organisation_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_outbox_messages_organisation_id_organisations"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_outbox_messages_organisation_id"))
        batch_op.drop_column("organisation_id")
    op.execute("DELETE FROM invitations WHERE person_id IS NULL")
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_constraint("ck_invitations_person_or_organisation", type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_invitations_organisation_id_organisations"), type_="foreignkey"
        )
        batch_op.drop_constraint("uq_invitations_meeting_id_organisation_id", type_="unique")
        batch_op.drop_index(batch_op.f("ix_invitations_organisation_id"))
        batch_op.alter_column("person_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column("organisation_id")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("language")
