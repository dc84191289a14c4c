"""erased people keep anonymous invitations, outdated outbox documents, application id

Revision ID: 20261206_02
Revises: 20261125_01
Create Date: 2026-12-06 12:50:18.453209

- ``invitations.anonymised`` and a nullable ``invitations.person_id``: erasing a person keeps
  their invitations without the person, so past meetings keep their "invited" count.
- ``outbox_messages.documents_outdated``: queued documents that named an erased person are
  rendered again before they go out.
- SQLite's ``PRAGMA application_id`` marks the file as a Treffpunkt database (the value is
  ``app.db.database.APPLICATION_ID``; revisions never import app code).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '20261206_02'
down_revision: str | None = '20261125_01'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPLICATION_ID = 0x54725074  # "TrPt"


def upgrade() -> None:
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('anonymised', sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.alter_column('person_id', existing_type=sa.INTEGER(), nullable=True)

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'documents_outdated', sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )

    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f'PRAGMA application_id = {APPLICATION_ID}')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('PRAGMA application_id = 0')

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('documents_outdated')

    op.execute('DELETE FROM invitations WHERE person_id IS NULL')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.alter_column('person_id', existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column('anonymised')
