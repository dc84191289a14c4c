"""person postal address, minutes signature lines, final minutes counted from revision 1

Revision ID: 20261206_02_postal
Revises: 20261125_01
Create Date: 2026-12-06 12:47:26.819749

- ``people``: an optional postal address of the person (street, postcode, city, country) and
  whether it is their work or private address; letters use it before the organisation's.
- ``minutes.signature_lines``: print lines to sign under final minutes (default on).
- Final or approved minutes that were stored with revision 0 (written before revisions were
  counted) become revision 1: people call the first version "Fassung 1".
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '20261206_02_postal'
down_revision: str | None = '20261125_01'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Only ADD COLUMN: SQLite adds them in place, the tables are not recreated.
    with op.batch_alter_table('minutes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signature_lines', sa.Boolean(), server_default=sa.true(), nullable=False))

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('street', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('postcode', sa.String(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('city', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('country', sa.String(length=80), server_default='', nullable=False))
        batch_op.add_column(sa.Column('address_kind', sa.Enum('work', 'private', name='addresskind', native_enum=False, length=20), server_default='work', nullable=False))

    op.execute(
        "UPDATE minutes SET revision = 1 WHERE revision = 0 AND state IN ('final', 'approved')"
    )


def downgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('address_kind')
        batch_op.drop_column('country')
        batch_op.drop_column('city')
        batch_op.drop_column('postcode')
        batch_op.drop_column('street')

    with op.batch_alter_table('minutes', schema=None) as batch_op:
        batch_op.drop_column('signature_lines')
